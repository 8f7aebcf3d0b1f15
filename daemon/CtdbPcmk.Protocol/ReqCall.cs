// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>REQ_CALL body (mirrors struct ctdb_req_call_old): 56 fixed bytes, then key and call data.</summary>
public readonly ref struct ReqCall
{
    public const int FixedSize = 56;

    public const uint FlagImmediateMigration = 0x1;
    public const uint FlagVacuumMigration = 0x2;
    public const uint FlagWantReadonly = 0x4;

    public const uint NullFunc = 0xFF000001;
    public const uint FetchFunc = 0xFF000002;
    public const uint FetchWithHeaderFunc = 0xFF000003;

    public uint Flags { get; init; }
    public uint DbId { get; init; }
    public uint CallId { get; init; }
    public uint HopCount { get; init; }
    public ReadOnlySpan<byte> Key { get; init; }
    public ReadOnlySpan<byte> CallData { get; init; }

    public int ContentLength => FixedSize + Key.Length + CallData.Length;

    public static ReqCall Read(ReadOnlySpan<byte> packet)
    {
        Packet.Require(packet, FixedSize, "REQ_CALL");
        uint keyLen = BinaryPrimitives.ReadUInt32LittleEndian(packet[48..]);
        uint dataLen = BinaryPrimitives.ReadUInt32LittleEndian(packet[52..]);
        if (keyLen == 0)
        {
            ProtocolException.Throw("REQ_CALL with an empty key");
        }
        var key = Packet.Slice(packet, FixedSize, keyLen, "REQ_CALL key");
        var data = Packet.Slice(packet, FixedSize + (int)keyLen, dataLen, "REQ_CALL call data");
        return new ReqCall
        {
            Flags = BinaryPrimitives.ReadUInt32LittleEndian(packet[32..]),
            DbId = BinaryPrimitives.ReadUInt32LittleEndian(packet[36..]),
            CallId = BinaryPrimitives.ReadUInt32LittleEndian(packet[40..]),
            HopCount = BinaryPrimitives.ReadUInt32LittleEndian(packet[44..]),
            Key = key,
            CallData = data,
        };
    }

    /// <summary>Writes the whole packet (header included, padded); returns its size.</summary>
    public int Write(Span<byte> buffer, PacketHeader header)
    {
        header.Operation = Operation.ReqCall;
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[32..], Flags);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[36..], DbId);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[40..], CallId);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[44..], HopCount);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[48..], (uint)Key.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[52..], (uint)CallData.Length);
        Key.CopyTo(buffer[FixedSize..]);
        CallData.CopyTo(buffer[(FixedSize + Key.Length)..]);
        return Packet.Finish(buffer, ContentLength, header);
    }
}
