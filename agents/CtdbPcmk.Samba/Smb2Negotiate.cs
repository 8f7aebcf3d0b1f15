// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Samba;

/// <summary>
/// The SMB2 NEGOTIATE exchange the monitor uses to see that smbd serves clients, as a pure codec
/// (MS-SMB2 2.2.1 header, 2.2.3 request, 2.2.4 response), framed for direct TCP (port 445) and
/// NetBIOS sessions alike: one byte message type 0 (session message) and a 24-bit big-endian
/// length. SMB2 fields are little-endian. The request offers 2.0.2 to 3.0.2: 3.1.1 would need
/// negotiate contexts and tells the probe nothing more.
/// </summary>
internal static class Smb2Negotiate
{
    public const int FrameHeaderSize = 4;
    public const int HeaderSize = 64;
    public const int RequestBodySize = 36;
    public const ushort CommandNegotiate = 0;
    public const uint FlagServerToRedir = 0x1;
    public const ushort SecurityModeSigningEnabled = 0x1;

    /// <summary>The largest reply accepted: a NEGOTIATE response with its security blob is a few hundred bytes.</summary>
    public const int MaxReplySize = 64 * 1024;

    public static ReadOnlySpan<ushort> Dialects => [0x0202, 0x0210, 0x0300, 0x0302];

    public static ReadOnlySpan<byte> ProtocolId => [0xFE, (byte)'S', (byte)'M', (byte)'B'];

    /// <summary>The size of the framed request.</summary>
    public static int RequestSize => FrameHeaderSize + HeaderSize + RequestBodySize + (2 * Dialects.Length);

    /// <summary>Writes the framed request; returns its size.</summary>
    public static int WriteRequest(Span<byte> buffer, Guid clientGuid)
    {
        var size = RequestSize;
        var frame = buffer[..size];
        frame.Clear();
        WriteFrameHeader(frame, size - FrameHeaderSize);
        var header = frame.Slice(FrameHeaderSize, HeaderSize);
        ProtocolId.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], HeaderSize);     // StructureSize
        BinaryPrimitives.WriteUInt16LittleEndian(header[12..], CommandNegotiate);
        BinaryPrimitives.WriteUInt16LittleEndian(header[14..], 1);             // CreditRequest
        // MessageId, TreeId, SessionId and Signature stay 0 for the first message.
        var body = frame[(FrameHeaderSize + HeaderSize)..];
        BinaryPrimitives.WriteUInt16LittleEndian(body, RequestBodySize);       // StructureSize
        BinaryPrimitives.WriteUInt16LittleEndian(body[2..], (ushort)Dialects.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(body[4..], SecurityModeSigningEnabled);
        clientGuid.TryWriteBytes(body.Slice(12, 16));
        for (var i = 0; i < Dialects.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(body[(RequestBodySize + (2 * i))..], Dialects[i]);
        }
        return size;
    }

    /// <summary>
    /// Reads a framed NEGOTIATE response. False when <paramref name="frame"/> does not hold the
    /// whole message yet; <see cref="Smb2ProtocolException"/> when it is not a NEGOTIATE response.
    /// </summary>
    public static bool TryReadResponse(ReadOnlySpan<byte> frame, out Smb2NegotiateReply reply, out int consumed)
    {
        reply = default;
        consumed = 0;
        if (frame.Length < FrameHeaderSize)
        {
            return false;
        }
        var length = ReadFrameLength(frame);
        if (frame.Length < FrameHeaderSize + length)
        {
            return false;
        }
        reply = ReadMessage(frame.Slice(FrameHeaderSize, length));
        consumed = FrameHeaderSize + length;
        return true;
    }

    /// <summary>The length of the message that follows a 4-byte frame header.</summary>
    public static int ReadFrameLength(ReadOnlySpan<byte> header)
    {
        if (header[0] != 0)
        {
            throw new Smb2ProtocolException($"not a session message (frame type 0x{header[0]:x2})");
        }
        var length = (header[1] << 16) | (header[2] << 8) | header[3];
        if (length > MaxReplySize)
        {
            throw new Smb2ProtocolException($"reply of {length} bytes is too long for a NEGOTIATE response");
        }
        return length;
    }

    private static Smb2NegotiateReply ReadMessage(ReadOnlySpan<byte> message)
    {
        if (message.Length < 4 || !message[..4].SequenceEqual(ProtocolId))
        {
            var magic = Convert.ToHexString(message[..Math.Min(4, message.Length)]);
            throw new Smb2ProtocolException($"not an SMB2 message (protocol id {magic})");
        }
        if (message.Length < HeaderSize)
        {
            throw new Smb2ProtocolException($"SMB2 header truncated ({message.Length} of {HeaderSize} bytes)");
        }
        var command = BinaryPrimitives.ReadUInt16LittleEndian(message[12..]);
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(message[16..]);
        if (command != CommandNegotiate || (flags & FlagServerToRedir) == 0)
        {
            throw new Smb2ProtocolException($"not a NEGOTIATE response (command {command}, flags 0x{flags:x})");
        }
        var status = BinaryPrimitives.ReadUInt32LittleEndian(message[8..]);
        if (status != 0)
        {
            return new Smb2NegotiateReply(status, 0);
        }
        var body = message[HeaderSize..];
        if (body.Length < 6)
        {
            throw new Smb2ProtocolException($"NEGOTIATE response body truncated ({body.Length} bytes)");
        }
        var structureSize = BinaryPrimitives.ReadUInt16LittleEndian(body);
        if (structureSize != 65)
        {
            throw new Smb2ProtocolException($"NEGOTIATE response structure size {structureSize}, expected 65");
        }
        return new Smb2NegotiateReply(0, BinaryPrimitives.ReadUInt16LittleEndian(body[4..]));
    }

    private static void WriteFrameHeader(Span<byte> frame, int length)
    {
        frame[0] = 0;
        frame[1] = (byte)(length >> 16);
        frame[2] = (byte)(length >> 8);
        frame[3] = (byte)length;
    }
}
