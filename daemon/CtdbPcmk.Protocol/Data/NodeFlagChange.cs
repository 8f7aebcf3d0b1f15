// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>MODIFY_FLAGS input and PUSH_NODE_FLAGS message (struct ctdb_node_flag_change): u32 pnn, u32 new_flags, u32 old_flags.</summary>
public readonly record struct NodeFlagChange(uint Pnn, uint NewFlags, uint OldFlags)
{
    public const int Size = 12;

    public int Write(Span<byte> buffer)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, Pnn);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[4..], NewFlags);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[8..], OldFlags);
        return Size;
    }

    public static NodeFlagChange Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, Size, "node_flag_change");
        return new NodeFlagChange(
            BinaryPrimitives.ReadUInt32LittleEndian(data),
            BinaryPrimitives.ReadUInt32LittleEndian(data[4..]),
            BinaryPrimitives.ReadUInt32LittleEndian(data[8..]));
    }
}
