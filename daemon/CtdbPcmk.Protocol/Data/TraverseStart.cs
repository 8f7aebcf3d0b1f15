// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>TRAVERSE_START / TRAVERSE_KILL input (struct ctdb_traverse_start, 16 bytes): db_id, reqid, srvid.</summary>
public readonly record struct TraverseStart(uint DbId, uint ReqId, ulong Srvid)
{
    public const int Size = 16;

    public int Write(Span<byte> buffer)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, DbId);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[4..], ReqId);
        BinaryPrimitives.WriteUInt64LittleEndian(buffer[8..], Srvid);
        return Size;
    }

    public static TraverseStart Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, Size, "traverse_start");
        return new TraverseStart(
            BinaryPrimitives.ReadUInt32LittleEndian(data),
            BinaryPrimitives.ReadUInt32LittleEndian(data[4..]),
            BinaryPrimitives.ReadUInt64LittleEndian(data[8..]));
    }
}
