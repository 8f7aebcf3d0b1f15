// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>
/// TRAVERSE_START_EXT input (struct ctdb_traverse_start_ext, 24 bytes): db_id, reqid, srvid,
/// u8 withemptyrecords, 7 pad. Any non-zero flag byte reads as true.
/// </summary>
public readonly record struct TraverseStartExt(uint DbId, uint ReqId, ulong Srvid, bool WithEmptyRecords)
{
    public const int Size = 24;

    public int Write(Span<byte> buffer)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, DbId);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[4..], ReqId);
        BinaryPrimitives.WriteUInt64LittleEndian(buffer[8..], Srvid);
        buffer[16..Size].Clear();
        buffer[16] = WithEmptyRecords ? (byte)1 : (byte)0;
        return Size;
    }

    public static TraverseStartExt Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, Size, "traverse_start_ext");
        return new TraverseStartExt(
            BinaryPrimitives.ReadUInt32LittleEndian(data),
            BinaryPrimitives.ReadUInt32LittleEndian(data[4..]),
            BinaryPrimitives.ReadUInt64LittleEndian(data[8..]),
            data[16] != 0);
    }
}
