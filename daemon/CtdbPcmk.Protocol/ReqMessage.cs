// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>REQ_MESSAGE body (struct ctdb_req_message_old): srvid, datalen, payload.</summary>
public readonly ref struct ReqMessage
{
    public const int FixedSize = 44;

    public ulong Srvid { get; init; }
    public ReadOnlySpan<byte> Data { get; init; }

    public int ContentLength => FixedSize + Data.Length;

    public static ReqMessage Read(ReadOnlySpan<byte> packet)
    {
        Packet.Require(packet, FixedSize, "REQ_MESSAGE");
        uint len = BinaryPrimitives.ReadUInt32LittleEndian(packet[40..]);
        return new ReqMessage
        {
            Srvid = BinaryPrimitives.ReadUInt64LittleEndian(packet[32..]),
            Data = Packet.Slice(packet, FixedSize, len, "REQ_MESSAGE data"),
        };
    }

    public int Write(Span<byte> buffer, PacketHeader header)
    {
        header.Operation = Operation.ReqMessage;
        BinaryPrimitives.WriteUInt64LittleEndian(buffer[32..], Srvid);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[40..], (uint)Data.Length);
        Data.CopyTo(buffer[FixedSize..]);
        return Packet.Finish(buffer, ContentLength, header);
    }
}
