// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>SET_BAN_STATE input / GET_BAN_STATE reply (struct ctdb_ban_state): u32 pnn, u32 ban time in seconds (0 = unban).</summary>
public readonly record struct BanState(uint Pnn, uint Time)
{
    public const int Size = 8;

    public int Write(Span<byte> buffer)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, Pnn);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[4..], Time);
        return Size;
    }

    public static BanState Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, Size, "ban_state");
        return new BanState(
            BinaryPrimitives.ReadUInt32LittleEndian(data),
            BinaryPrimitives.ReadUInt32LittleEndian(data[4..]));
    }
}
