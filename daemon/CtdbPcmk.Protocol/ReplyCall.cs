// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>REPLY_CALL body (struct ctdb_reply_call_old): status, datalen, data.</summary>
public readonly ref struct ReplyCall
{
    public const int FixedSize = 40;
    /// <summary>
    /// sizeof(struct ctdb_reply_call_old) on x86_64. ctdbd never sends a packet shorter than its struct, so
    /// a short body is padded up to this size before the 8-byte rounding (an empty REPLY_CALL is 48 bytes on the wire, observed).
    /// </summary>
    public const int StructSize = 44;

    public int Status { get; init; }
    public ReadOnlySpan<byte> Data { get; init; }

    public int ContentLength => Math.Max(FixedSize + Data.Length, StructSize);

    public static ReplyCall Read(ReadOnlySpan<byte> packet)
    {
        Packet.Require(packet, FixedSize, "REPLY_CALL");
        uint len = BinaryPrimitives.ReadUInt32LittleEndian(packet[36..]);
        return new ReplyCall
        {
            Status = BinaryPrimitives.ReadInt32LittleEndian(packet[32..]),
            Data = Packet.Slice(packet, FixedSize, len, "REPLY_CALL data"),
        };
    }

    public int Write(Span<byte> buffer, PacketHeader header)
    {
        header.Operation = Operation.ReplyCall;
        BinaryPrimitives.WriteInt32LittleEndian(buffer[32..], Status);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[36..], (uint)Data.Length);
        Data.CopyTo(buffer[FixedSize..]);
        buffer[(FixedSize + Data.Length)..ContentLength].Clear();
        return Packet.Finish(buffer, ContentLength, header);
    }
}
