// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Tdb;

/// <summary>
/// Owns a TDB_DATA whose bytes libtdb allocated with malloc (tdb_fetch); Dispose gives them back to
/// the C allocator. The span is valid until Dispose.
/// </summary>
internal readonly unsafe ref struct TdbMallocData
{
    private readonly Interop.LibTdb.TDB_DATA _data;

    public TdbMallocData(Interop.LibTdb.TDB_DATA data) => _data = data;

    public bool IsNull => _data.dptr == null;

    public ReadOnlySpan<byte> Span => _data.AsSpan();

    public void Dispose() => NativeMemory.Free(_data.dptr);
}
