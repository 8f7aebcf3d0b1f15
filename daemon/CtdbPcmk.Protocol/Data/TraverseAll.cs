// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>
/// TRAVERSE_ALL input (struct ctdb_traverse_all, 24 bytes): db_id, reqid (originator's handle),
/// pnn (originator), client_reqid, srvid.
/// </summary>
public readonly record struct TraverseAll(uint DbId, uint ReqId, uint Pnn, uint ClientReqId, ulong Srvid)
{
    public const int Size = 24;

    public int Write(Span<byte> buffer)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, DbId);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[4..], ReqId);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[8..], Pnn);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[12..], ClientReqId);
        BinaryPrimitives.WriteUInt64LittleEndian(buffer[16..], Srvid);
        return Size;
    }

    public static TraverseAll Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, Size, "traverse_all");
        return new TraverseAll(
            BinaryPrimitives.ReadUInt32LittleEndian(data),
            BinaryPrimitives.ReadUInt32LittleEndian(data[4..]),
            BinaryPrimitives.ReadUInt32LittleEndian(data[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(data[12..]),
            BinaryPrimitives.ReadUInt64LittleEndian(data[16..]));
    }
}
