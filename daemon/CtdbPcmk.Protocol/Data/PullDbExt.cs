// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>DB_PULL / DB_PUSH_START input (struct ctdb_pulldb_ext): u32 db_id, u32 lmaster (0xFFFFFFFF = any), u64 srvid the records are sent to.</summary>
public readonly record struct PullDbExt(uint DbId, uint Lmaster, ulong Srvid)
{
    public const int Size = 16;

    public int Write(Span<byte> buffer)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, DbId);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[4..], Lmaster);
        BinaryPrimitives.WriteUInt64LittleEndian(buffer[8..], Srvid);
        return Size;
    }

    public static PullDbExt Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, Size, "pulldb_ext");
        return new PullDbExt(
            BinaryPrimitives.ReadUInt32LittleEndian(data),
            BinaryPrimitives.ReadUInt32LittleEndian(data[4..]),
            BinaryPrimitives.ReadUInt64LittleEndian(data[8..]));
    }
}
