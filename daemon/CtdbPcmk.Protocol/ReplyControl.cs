// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>
/// REPLY_CONTROL body (struct ctdb_reply_control_old): status, datalen, errorlen, data, error
/// text. The error text is sent without a NUL, as ctdbd does; readers accept either.
/// </summary>
public readonly ref struct ReplyControl
{
    public const int FixedSize = 44;

    public int Status { get; init; }
    public ReadOnlySpan<byte> Data { get; init; }
    public ReadOnlySpan<byte> ErrorMessage { get; init; }

    public int ContentLength => FixedSize + Data.Length + ErrorMessage.Length;

    public static ReplyControl Read(ReadOnlySpan<byte> packet)
    {
        Packet.Require(packet, FixedSize, "REPLY_CONTROL");
        uint len = BinaryPrimitives.ReadUInt32LittleEndian(packet[36..]);
        uint errLen = BinaryPrimitives.ReadUInt32LittleEndian(packet[40..]);
        var data = Packet.Slice(packet, FixedSize, len, "REPLY_CONTROL data");
        var err = Packet.Slice(packet, FixedSize + (int)len, errLen, "REPLY_CONTROL error");
        return new ReplyControl
        {
            Status = BinaryPrimitives.ReadInt32LittleEndian(packet[32..]),
            Data = data,
            ErrorMessage = err,
        };
    }

    public int Write(Span<byte> buffer, PacketHeader header)
    {
        header.Operation = Operation.ReplyControl;
        BinaryPrimitives.WriteInt32LittleEndian(buffer[32..], Status);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[36..], (uint)Data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[40..], (uint)ErrorMessage.Length);
        Data.CopyTo(buffer[FixedSize..]);
        ErrorMessage.CopyTo(buffer[(FixedSize + Data.Length)..]);
        return Packet.Finish(buffer, ContentLength, header);
    }

    /// <summary>Error text as a string, with a trailing NUL (if any) removed.</summary>
    public string ErrorText()
    {
        var e = ErrorMessage;
        if (!e.IsEmpty && e[^1] == 0)
        {
            e = e[..^1];
        }
        return System.Text.Encoding.UTF8.GetString(e);
    }
}
