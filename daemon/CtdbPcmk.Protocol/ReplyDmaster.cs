// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>
/// REPLY_DMASTER body (struct ctdb_reply_dmaster_old), sent by the lmaster to the new dmaster:
/// db_id, pad, u64 rsn, keylen, datalen, key, value, then the u32 record flags (always
/// written; read only if the packet covers them, else 0).
/// </summary>
public readonly ref struct ReplyDmaster
{
    public const int FixedSize = 56;

    public uint DbId { get; init; }
    public ulong Rsn { get; init; }
    public ReadOnlySpan<byte> Key { get; init; }
    public ReadOnlySpan<byte> Data { get; init; }
    public uint RecordFlags { get; init; }

    public int ContentLength => FixedSize + Key.Length + Data.Length + 4;

    public static ReplyDmaster Read(ReadOnlySpan<byte> packet)
    {
        Packet.Require(packet, FixedSize, "REPLY_DMASTER");
        uint keyLen = BinaryPrimitives.ReadUInt32LittleEndian(packet[48..]);
        uint dataLen = BinaryPrimitives.ReadUInt32LittleEndian(packet[52..]);
        var key = Packet.Slice(packet, FixedSize, keyLen, "REPLY_DMASTER key");
        int dataOffset = FixedSize + (int)keyLen;
        var data = Packet.Slice(packet, dataOffset, dataLen, "REPLY_DMASTER data");
        return new ReplyDmaster
        {
            DbId = BinaryPrimitives.ReadUInt32LittleEndian(packet[32..]),
            Rsn = BinaryPrimitives.ReadUInt64LittleEndian(packet[40..]),
            Key = key,
            Data = data,
            RecordFlags = ReqDmaster.ReadTrailingFlags(packet, dataOffset + (int)dataLen),
        };
    }

    public int Write(Span<byte> buffer, PacketHeader header)
    {
        header.Operation = Operation.ReplyDmaster;
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[32..], DbId);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[36..], 0);
        BinaryPrimitives.WriteUInt64LittleEndian(buffer[40..], Rsn);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[48..], (uint)Key.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[52..], (uint)Data.Length);
        Key.CopyTo(buffer[FixedSize..]);
        Data.CopyTo(buffer[(FixedSize + Key.Length)..]);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[(FixedSize + Key.Length + Data.Length)..], RecordFlags);
        return Packet.Finish(buffer, ContentLength, header);
    }
}
