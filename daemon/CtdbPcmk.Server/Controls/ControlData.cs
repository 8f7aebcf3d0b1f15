// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Text;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Server.Controls;

/// <summary>Encoders and decoders of the small values controls carry, shared by every subsystem.</summary>
internal static class ControlData
{
    public static ControlReply U32(uint value) => ControlReply.WithData(U32Bytes(value));

    public static ControlReply U64(ulong value)
    {
        var data = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(data, value);
        return ControlReply.WithData(data);
    }

    public static byte[] U32Bytes(uint value)
    {
        var data = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(data, value);
        return data;
    }

    /// <summary>A control's u32 argument; anything but 4 bytes is malformed.</summary>
    public static uint ReadU32(ReadOnlySpan<byte> data)
    {
        if (data.Length != 4)
        {
            ProtocolException.Throw($"expected 4 bytes of control data, got {data.Length}");
        }
        return BinaryPrimitives.ReadUInt32LittleEndian(data);
    }

    /// <summary>A database id, in 4 bytes or padded to 8 (GET_DB_SEQNUM and a few others).</summary>
    public static uint ReadDbId(ReadOnlySpan<byte> data)
    {
        if (data.Length is not (4 or 8))
        {
            ProtocolException.Throw($"expected a 4-byte db id, got {data.Length} bytes");
        }
        return BinaryPrimitives.ReadUInt32LittleEndian(data);
    }

    public static ControlReply CString(string value) => ControlReply.WithData(Protocol.CString.Encode(value));

    public static ControlReply Encode(NodeMap map)
    {
        var data = new byte[map.EncodedSize];
        map.Write(data);
        return ControlReply.WithData(data);
    }

    public static ControlReply Encode(VnnMap map)
    {
        var data = new byte[map.EncodedSize];
        map.Write(data);
        return ControlReply.WithData(data);
    }

    /// <summary>A REPLY_CONTROL packet for <paramref name="reply"/>, built in <paramref name="scratch"/>.</summary>
    public static Span<byte> EncodeReply(ScratchBuffer scratch, PacketHeader header, ControlReply reply)
    {
        int errLen = reply.Error is null ? 0 : Encoding.UTF8.GetByteCount(reply.Error);
        Span<byte> err = errLen <= 256 ? stackalloc byte[errLen] : new byte[errLen];
        if (reply.Error is not null)
        {
            Encoding.UTF8.GetBytes(reply.Error, err);
        }
        var rc = new ReplyControl { Status = reply.Status, Data = reply.Data, ErrorMessage = err };
        var buffer = scratch.Get(Packet.WireSize(rc.ContentLength));
        int size = rc.Write(buffer, header);
        return buffer[..size];
    }
}
