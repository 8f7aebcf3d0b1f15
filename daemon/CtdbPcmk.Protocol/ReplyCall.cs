// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>REPLY_CALL body (struct ctdb_reply_call_old): status, datalen, data.</summary>
public readonly ref struct ReplyCall
{
    public const int FixedSize = 40;

    public int Status { get; init; }
    public ReadOnlySpan<byte> Data { get; init; }

    public int ContentLength => FixedSize + Data.Length;

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
        return Packet.Finish(buffer, ContentLength, header);
    }
}
