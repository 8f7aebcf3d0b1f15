// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Tdb;

public sealed partial class TdbFile
{
    /// <summary>tdb_fetch: copies the value into a new array. False when the key is absent.</summary>
    public unsafe bool TryFetch(ReadOnlySpan<byte> key, out byte[] value)
    {
        fixed (byte* k = key)
        {
            using var data = new TdbMallocData(Interop.LibTdb.tdb_fetch(_handle, new(k, key.Length)));
            if (data.IsNull)
            {
                // A present but empty value may also come back without a buffer; only NOEXIST means absent.
                if (LastError != TdbError.NoExist)
                {
                    ThrowLastError("tdb_fetch");
                }
                value = [];
                return false;
            }
            value = data.Span.ToArray();
            return true;
        }
    }

    /// <summary>tdb_exists.</summary>
    public unsafe bool Exists(ReadOnlySpan<byte> key)
    {
        fixed (byte* k = key)
        {
            return Interop.LibTdb.tdb_exists(_handle, new(k, key.Length)) != 0;
        }
    }

    /// <summary>tdb_store.</summary>
    public unsafe void Store(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, TdbStoreMode mode = TdbStoreMode.Replace)
    {
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            if (Interop.LibTdb.tdb_store(_handle, new(k, key.Length), new(v, value.Length), (int)mode) != 0)
            {
                ThrowLastError("tdb_store");
            }
        }
    }

    /// <summary>
    /// Stores <c>header + data</c> (the CTDB record layout) in one tdb_storev, without building a
    /// concatenated copy. Always TDB_REPLACE.
    /// </summary>
    public unsafe void Store(ReadOnlySpan<byte> key, in LtdbHeader header, ReadOnlySpan<byte> data)
    {
        byte* h = stackalloc byte[LtdbHeader.Size];
        header.Write(new Span<byte>(h, LtdbHeader.Size));
        fixed (byte* k = key)
        fixed (byte* d = data)
        {
            Interop.LibTdb.TDB_DATA* parts = stackalloc Interop.LibTdb.TDB_DATA[2];
            parts[0] = new(h, LtdbHeader.Size);
            parts[1] = new(d, data.Length);
            if (Interop.LibTdb.tdb_storev(_handle, new(k, key.Length), parts, 2, (int)TdbStoreMode.Replace) != 0)
            {
                ThrowLastError("tdb_storev");
            }
        }
    }

    /// <summary>tdb_delete. False when the key was absent.</summary>
    public unsafe bool Delete(ReadOnlySpan<byte> key)
    {
        fixed (byte* k = key)
        {
            if (Interop.LibTdb.tdb_delete(_handle, new(k, key.Length)) == 0)
            {
                return true;
            }
        }
        if (LastError == TdbError.NoExist)
        {
            return false;
        }
        ThrowLastError("tdb_delete");
        return false;
    }
}
