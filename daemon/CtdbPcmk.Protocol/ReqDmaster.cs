// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>
/// REQ_DMASTER body (struct ctdb_req_dmaster_old), sent by the old dmaster to the lmaster:
/// db_id, pad, u64 rsn, dmaster (the new dmaster), keylen, datalen, key, value, then the u32
/// record flags. The flags are always written; on read they count only if the packet covers
/// them (0 otherwise), as in ctdbd.
/// </summary>
public readonly ref struct ReqDmaster
{
    public const int FixedSize = 60;

    public uint DbId { get; init; }
    public ulong Rsn { get; init; }
    public uint Dmaster { get; init; }
    public ReadOnlySpan<byte> Key { get; init; }
    public ReadOnlySpan<byte> Data { get; init; }
    public uint RecordFlags { get; init; }

    public int ContentLength => FixedSize + Key.Length + Data.Length + 4;

    public static ReqDmaster Read(ReadOnlySpan<byte> packet)
    {
        Packet.Require(packet, FixedSize, "REQ_DMASTER");
        uint keyLen = BinaryPrimitives.ReadUInt32LittleEndian(packet[52..]);
        uint dataLen = BinaryPrimitives.ReadUInt32LittleEndian(packet[56..]);
        var key = Packet.Slice(packet, FixedSize, keyLen, "REQ_DMASTER key");
        int dataOffset = FixedSize + (int)keyLen;
        var data = Packet.Slice(packet, dataOffset, dataLen, "REQ_DMASTER data");
        return new ReqDmaster
        {
            DbId = BinaryPrimitives.ReadUInt32LittleEndian(packet[32..]),
            Rsn = BinaryPrimitives.ReadUInt64LittleEndian(packet[40..]),
            Dmaster = BinaryPrimitives.ReadUInt32LittleEndian(packet[48..]),
            Key = key,
            Data = data,
            RecordFlags = ReadTrailingFlags(packet, dataOffset + (int)dataLen),
        };
    }

    public int Write(Span<byte> buffer, PacketHeader header)
    {
        header.Operation = Operation.ReqDmaster;
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[32..], DbId);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[36..], 0);
        BinaryPrimitives.WriteUInt64LittleEndian(buffer[40..], Rsn);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[48..], Dmaster);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[52..], (uint)Key.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[56..], (uint)Data.Length);
        Key.CopyTo(buffer[FixedSize..]);
        Data.CopyTo(buffer[(FixedSize + Key.Length)..]);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[(FixedSize + Key.Length + Data.Length)..], RecordFlags);
        return Packet.Finish(buffer, ContentLength, header);
    }

    internal static uint ReadTrailingFlags(ReadOnlySpan<byte> packet, int offset) =>
        packet.Length - offset >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(packet[offset..]) : 0;
}
