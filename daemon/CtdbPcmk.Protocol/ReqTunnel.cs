// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>REQ_TUNNEL body (struct ctdb_req_tunnel_old): u64 tunnel_id, u32 flags, u32 datalen, data.</summary>
public readonly ref struct ReqTunnel
{
    public const int FixedSize = 48;
    /// <summary>
    /// sizeof(struct ctdb_req_tunnel_old) on x86_64. ctdbd never sends a packet shorter than its struct, so
    /// a short body is padded up to this size before the 8-byte rounding.
    /// </summary>
    public const int StructSize = 56;

    public const uint FlagRequest = 0x01;
    public const uint FlagReply = 0x02;
    public const uint FlagNoReply = 0x10;

    public ulong TunnelId { get; init; }
    public uint Flags { get; init; }
    public ReadOnlySpan<byte> Data { get; init; }

    public int ContentLength => Math.Max(FixedSize + Data.Length, StructSize);

    public static ReqTunnel Read(ReadOnlySpan<byte> packet)
    {
        Packet.Require(packet, FixedSize, "REQ_TUNNEL");
        uint len = BinaryPrimitives.ReadUInt32LittleEndian(packet[44..]);
        return new ReqTunnel
        {
            TunnelId = BinaryPrimitives.ReadUInt64LittleEndian(packet[32..]),
            Flags = BinaryPrimitives.ReadUInt32LittleEndian(packet[40..]),
            Data = Packet.Slice(packet, FixedSize, len, "REQ_TUNNEL data"),
        };
    }

    public int Write(Span<byte> buffer, PacketHeader header)
    {
        header.Operation = Operation.ReqTunnel;
        BinaryPrimitives.WriteUInt64LittleEndian(buffer[32..], TunnelId);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[40..], Flags);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[44..], (uint)Data.Length);
        Data.CopyTo(buffer[FixedSize..]);
        buffer[(FixedSize + Data.Length)..ContentLength].Clear();
        return Packet.Finish(buffer, ContentLength, header);
    }
}
