// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Protocol.Tests;

/// <summary>
/// Packet bodies as codec cases. Encodings are written padded (as we send them); reads of a
/// prefix shorter than the meaningful content must fail.
/// </summary>
internal static class PacketCodecCases
{
    public static IEnumerable<CodecCase> All()
    {
        yield return Case("ReqCall", [48, 52],
            r =>
            {
                var key = r.Bytes(1, 40);
                var data = r.Bytes(0, 20);
                var body = new ReqCall { Flags = r.U32(), DbId = r.U32(), CallId = r.U32(), HopCount = r.U32(), Key = key, CallData = data };
                var buf = Buf(body.ContentLength); return Done(buf, body.Write(buf, r.Header()), body.ContentLength);
            },
            p => { var b = ReqCall.Read(p); var buf = Buf(b.ContentLength); return Done(buf, b.Write(buf, PacketHeader.Read(p)), b.ContentLength); },
            p => ReqCall.FixedSize + (int)Field(p, 48) + (int)Field(p, 52));
        yield return Case("ReplyCall", [36],
            r => { var d = r.Bytes(0, 50); var body = new ReplyCall { Status = r.Next(), Data = d }; var buf = Buf(body.ContentLength); return Done(buf, body.Write(buf, r.Header()), body.ContentLength); },
            p => { var b = ReplyCall.Read(p); var buf = Buf(b.ContentLength); return Done(buf, b.Write(buf, PacketHeader.Read(p)), b.ContentLength); },
            p => ReplyCall.FixedSize + (int)Field(p, 36));
        yield return Case("ReqDmaster", [52, 56],
            r =>
            {
                var k = r.Bytes(0, 30);
                var d = r.Bytes(0, 60);
                var body = new ReqDmaster { DbId = r.U32(), Rsn = r.U64(), Dmaster = r.U32(), Key = k, Data = d, RecordFlags = r.U32() };
                var buf = Buf(body.ContentLength); return Done(buf, body.Write(buf, r.Header()), body.ContentLength);
            },
            p => { var b = ReqDmaster.Read(p); var buf = Buf(b.ContentLength); return Done(buf, b.Write(buf, PacketHeader.Read(p)), b.ContentLength); },
            // The trailing record flags are optional on read.
            p => ReqDmaster.FixedSize + (int)Field(p, 52) + (int)Field(p, 56));
        yield return Case("ReplyDmaster", [48, 52],
            r =>
            {
                var k = r.Bytes(0, 30);
                var d = r.Bytes(0, 60);
                var body = new ReplyDmaster { DbId = r.U32(), Rsn = r.U64(), Key = k, Data = d, RecordFlags = r.U32() };
                var buf = Buf(body.ContentLength); return Done(buf, body.Write(buf, r.Header()), body.ContentLength);
            },
            p => { var b = ReplyDmaster.Read(p); var buf = Buf(b.ContentLength); return Done(buf, b.Write(buf, PacketHeader.Read(p)), b.ContentLength); },
            p => ReplyDmaster.FixedSize + (int)Field(p, 48) + (int)Field(p, 52));
        yield return Case("ReplyError", [36],
            r => { var m = r.Bytes(0, 60); var body = new ReplyError { Status = r.Next(), Message = m }; var buf = Buf(body.ContentLength); return Done(buf, body.Write(buf, r.Header()), body.ContentLength); },
            p => { var b = ReplyError.Read(p); var buf = Buf(b.ContentLength); return Done(buf, b.Write(buf, PacketHeader.Read(p)), b.ContentLength); },
            p => ReplyError.FixedSize + (int)Field(p, 36));
        yield return Case("ReqMessage", [40],
            r => { var d = r.Bytes(0, 100); var body = new ReqMessage { Srvid = r.U64(), Data = d }; var buf = Buf(body.ContentLength); return Done(buf, body.Write(buf, r.Header()), body.ContentLength); },
            p => { var b = ReqMessage.Read(p); var buf = Buf(b.ContentLength); return Done(buf, b.Write(buf, PacketHeader.Read(p)), b.ContentLength); },
            p => ReqMessage.FixedSize + (int)Field(p, 40));
        yield return Case("ReqControl", [56],
            r =>
            {
                var d = r.Bytes(0, 100);
                var body = new ReqControl { Opcode = (ControlOpcode)r.Next(0, 159), Srvid = r.U64(), ClientId = r.U32(), Flags = r.U32(), Data = d };
                var buf = Buf(body.ContentLength); return Done(buf, body.Write(buf, r.Header()), body.ContentLength);
            },
            p => { var b = ReqControl.Read(p); var buf = Buf(b.ContentLength); return Done(buf, b.Write(buf, PacketHeader.Read(p)), b.ContentLength); },
            p => ReqControl.FixedSize + (int)Field(p, 56));
        yield return Case("ReplyControl", [36, 40],
            r => { var d = r.Bytes(0, 100); var e = r.Bytes(0, 40); var body = new ReplyControl { Status = r.Next(), Data = d, ErrorMessage = e }; var buf = Buf(body.ContentLength); return Done(buf, body.Write(buf, r.Header()), body.ContentLength); },
            p => { var b = ReplyControl.Read(p); var buf = Buf(b.ContentLength); return Done(buf, b.Write(buf, PacketHeader.Read(p)), b.ContentLength); },
            p => ReplyControl.FixedSize + (int)Field(p, 36) + (int)Field(p, 40));
        yield return new CodecCase
        {
            Name = "ReqKeepalive",
            Generate = r => { var body = new ReqKeepalive { Version = r.U32(), Uptime = r.U32() }; var buf = Buf(body.ContentLength); return Done(buf, body.Write(buf, r.Header()), body.ContentLength); },
            Reencode = p => { var b = ReqKeepalive.Read(p); var buf = Buf(b.ContentLength); return Done(buf, b.Write(buf, PacketHeader.Read(p)), b.ContentLength); },
            MinimumValid = _ => ReqKeepalive.FixedSize,
            // A bare header is the versionless keepalive of older releases.
            AlsoValid = n => n == PacketHeader.Size,
        };
        yield return Case("ReqTunnel", [44],
            r => { var d = r.Bytes(0, 60); var body = new ReqTunnel { TunnelId = r.U64(), Flags = r.U32(), Data = d }; var buf = Buf(body.ContentLength); return Done(buf, body.Write(buf, r.Header()), body.ContentLength); },
            p => { var b = ReqTunnel.Read(p); var buf = Buf(b.ContentLength); return Done(buf, b.Write(buf, PacketHeader.Read(p)), b.ContentLength); },
            p => ReqTunnel.FixedSize + (int)Field(p, 44));
    }

    private static uint Field(byte[] packet, int offset) => BitConverter.ToUInt32(packet, offset);

    private static CodecCase Case(string name, int[] lengthFields, Func<Random, byte[]> generate, Func<byte[], byte[]> reencode, Func<byte[], int> meaningful) =>
        new() { Name = name, Generate = generate, Reencode = reencode, LengthFields = lengthFields, MinimumValid = meaningful };

    private static byte[] Buf(int contentLength)
    {
        var buffer = new byte[WireFormat.Align(contentLength) + 64];
        Array.Fill(buffer, (byte)0xA5); // writers must set every byte they claim, pad included
        return buffer;
    }

    private static byte[] Done(byte[] buffer, int written, int contentLength)
    {
        Assert.Equal(WireFormat.Align(contentLength), written);
        return buffer[..written];
    }
}
