// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Tdb;

public sealed partial class TdbFile
{
    // State of the FetchInto in progress. The parser callback finds this instance through a
    // GCHandle passed as private_data; single-threaded use makes instance fields safe here.
    private byte[]? _parseBuffer;
    private int _parseLength;

    /// <summary>
    /// tdb_parse_record: copies the value into <paramref name="buffer"/>, replacing it with a larger
    /// array when it is too small, and returns the value length (-1 when the key is absent).
    /// Allocates nothing else.
    /// </summary>
    public unsafe int FetchInto(ReadOnlySpan<byte> key, ref byte[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        _parseBuffer = buffer;
        _parseLength = -1;
        GCHandle self = GCHandle.Alloc(this);
        try
        {
            int rc;
            fixed (byte* k = key)
            {
                rc = Interop.LibTdb.tdb_parse_record(
                    _handle, new(k, key.Length), &ParseInto, (void*)GCHandle.ToIntPtr(self));
            }
            if (_parseLength >= 0)
            {
                buffer = _parseBuffer;
                return _parseLength;
            }
            if (rc != 0 && LastError != TdbError.NoExist)
            {
                ThrowLastError("tdb_parse_record");
            }
            return -1;
        }
        finally
        {
            self.Free();
            _parseBuffer = null;
        }
    }

    [UnmanagedCallersOnly]
    private static unsafe int ParseInto(Interop.LibTdb.TDB_DATA key, Interop.LibTdb.TDB_DATA data, void* privateData)
    {
        var file = (TdbFile)GCHandle.FromIntPtr((nint)privateData).Target!;
        int length = checked((int)data.dsize);
        if (file._parseBuffer!.Length < length)
        {
            // Allocation failure would have to unwind through C frames; an out-of-memory here is
            // fatal to the process either way, so it is not caught.
            file._parseBuffer = new byte[length];
        }
        new ReadOnlySpan<byte>(data.dptr, length).CopyTo(file._parseBuffer);
        file._parseLength = length;
        return 0;
    }
}
