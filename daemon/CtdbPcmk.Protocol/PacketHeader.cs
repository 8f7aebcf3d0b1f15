// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>The 32-byte header in front of every packet (mirrors struct ctdb_req_header).</summary>
public record struct PacketHeader(
    uint Length,
    uint Generation,
    Operation Operation,
    uint DestNode,
    uint SrcNode,
    uint ReqId)
{
    public const int Size = WireFormat.HeaderSize;

    public readonly void Write(Span<byte> buffer)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, Length);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[4..], WireFormat.Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[8..], WireFormat.Version);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[12..], Generation);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[16..], (uint)Operation);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[20..], DestNode);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[24..], SrcNode);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[28..], ReqId);
    }

    /// <summary>
    /// Reads and validates a header (length at least 32, magic and version exact). The packet
    /// may be longer than <see cref="Length"/> says only by padding the caller has cut off.
    /// </summary>
    public static PacketHeader Read(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < Size)
        {
            ProtocolException.Truncated("header", Size, packet.Length);
        }
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(packet);
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(packet[4..]);
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(packet[8..]);
        if (magic != WireFormat.Magic)
        {
            ProtocolException.Throw($"bad magic 0x{magic:x8}");
        }
        if (version != WireFormat.Version)
        {
            ProtocolException.Throw($"bad protocol version {version}");
        }
        if (length < Size)
        {
            ProtocolException.Throw($"packet length {length} shorter than the header");
        }
        return new PacketHeader(
            length,
            BinaryPrimitives.ReadUInt32LittleEndian(packet[12..]),
            (Operation)BinaryPrimitives.ReadUInt32LittleEndian(packet[16..]),
            BinaryPrimitives.ReadUInt32LittleEndian(packet[20..]),
            BinaryPrimitives.ReadUInt32LittleEndian(packet[24..]),
            BinaryPrimitives.ReadUInt32LittleEndian(packet[28..]));
    }
}
