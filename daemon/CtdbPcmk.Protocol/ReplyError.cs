// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>
/// REPLY_ERROR body (struct ctdb_reply_error_old): i32 status, u32 msglen, msg. ctdbd includes
/// the NUL in msglen; readers accept either.
/// </summary>
public readonly ref struct ReplyError
{
    public const int FixedSize = 40;
    /// <summary>
    /// sizeof(struct ctdb_reply_error_old) on x86_64. ctdbd never sends a packet shorter than its struct, so
    /// a short body is padded up to this size before the 8-byte rounding.
    /// </summary>
    public const int StructSize = 44;

    public int Status { get; init; }
    public ReadOnlySpan<byte> Message { get; init; }

    public int ContentLength => Math.Max(FixedSize + Message.Length, StructSize);

    public static ReplyError Read(ReadOnlySpan<byte> packet)
    {
        Packet.Require(packet, FixedSize, "REPLY_ERROR");
        uint len = BinaryPrimitives.ReadUInt32LittleEndian(packet[36..]);
        return new ReplyError
        {
            Status = BinaryPrimitives.ReadInt32LittleEndian(packet[32..]),
            Message = Packet.Slice(packet, FixedSize, len, "REPLY_ERROR message"),
        };
    }

    public int Write(Span<byte> buffer, PacketHeader header)
    {
        header.Operation = Operation.ReplyError;
        BinaryPrimitives.WriteInt32LittleEndian(buffer[32..], Status);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[36..], (uint)Message.Length);
        Message.CopyTo(buffer[FixedSize..]);
        buffer[(FixedSize + Message.Length)..ContentLength].Clear();
        return Packet.Finish(buffer, ContentLength, header);
    }

    /// <summary>The message as a string, without a trailing NUL.</summary>
    public string MessageText() => CString.Decode(Message);
}
