// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>REQ_CONTROL body (struct ctdb_req_control_old): 60 fixed bytes, then data.</summary>
public readonly ref struct ReqControl
{
    public const int FixedSize = 60;

    public const uint FlagNoReply = 0x1;
    /// <summary>GET_PUBLIC_IPS: only addresses that can be hosted now.</summary>
    public const uint FlagOnlyAvailable = 0x00010000;
    /// <summary>DB_ATTACH*: attach done by recovery, never deferred.</summary>
    public const uint FlagAttachRecovery = 0x00020000;

    public ControlOpcode Opcode { get; init; }
    public ulong Srvid { get; init; }
    public uint ClientId { get; init; }
    public uint Flags { get; init; }
    public ReadOnlySpan<byte> Data { get; init; }

    public bool NoReply => (Flags & FlagNoReply) != 0;

    public int ContentLength => FixedSize + Data.Length;

    public static ReqControl Read(ReadOnlySpan<byte> packet)
    {
        Packet.Require(packet, FixedSize, "REQ_CONTROL");
        uint len = BinaryPrimitives.ReadUInt32LittleEndian(packet[56..]);
        return new ReqControl
        {
            Opcode = (ControlOpcode)BinaryPrimitives.ReadUInt32LittleEndian(packet[32..]),
            Srvid = BinaryPrimitives.ReadUInt64LittleEndian(packet[40..]),
            ClientId = BinaryPrimitives.ReadUInt32LittleEndian(packet[48..]),
            Flags = BinaryPrimitives.ReadUInt32LittleEndian(packet[52..]),
            Data = Packet.Slice(packet, FixedSize, len, "REQ_CONTROL data"),
        };
    }

    public int Write(Span<byte> buffer, PacketHeader header)
    {
        header.Operation = Operation.ReqControl;
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[32..], (uint)Opcode);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[36..], 0);
        BinaryPrimitives.WriteUInt64LittleEndian(buffer[40..], Srvid);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[48..], ClientId);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[52..], Flags);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[56..], (uint)Data.Length);
        Data.CopyTo(buffer[FixedSize..]);
        return Packet.Finish(buffer, ContentLength, header);
    }
}
