// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol.Tests;

/// <summary>
/// Every packet captured from ctdbd 4.17.12, the ctdb tool and smbd is decoded (header, body by
/// operation, control data by opcode, well-known message payloads by srvid), re-encoded, and
/// compared byte for byte. Two documented exceptions: smbd sends unpadded packets while we
/// always pad (the content and everything but the padded length field must match), and the
/// 12 unused bytes of an IPv4 ctdb_sock_addr in smbd's TCP_CLIENT carry uninitialised memory
/// (they are masked before comparing; we write zeros there).
/// </summary>
public class VectorTests
{
    public static TheoryData<string> Files => new(VectorFile.Names());

    [Fact]
    public void Vector_files_are_present()
    {
        Assert.True(VectorFile.Names().Count() >= 40, $"vectors missing in {VectorFile.Directory}");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_packet_decodes_and_reencodes_identically(string file)
    {
        var pending = new Dictionary<(string Stream, uint ReqId), ControlOpcode>();
        foreach (var packet in VectorFile.Load(file))
        {
            try
            {
                Check(packet, pending);
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                throw new InvalidOperationException($"{packet}: {e.Message}", e);
            }
        }
    }

    private static void Check(VectorPacket packet, Dictionary<(string, uint), ControlOpcode> pending)
    {
        var bytes = packet.Bytes;
        var header = PacketHeader.Read(bytes);
        Assert.True(header.Length == bytes.Length, $"{packet}: length field {header.Length} != {bytes.Length}");

        var output = new byte[bytes.Length + 64];
        int content;
        int written;
        switch (header.Operation)
        {
            case Operation.ReqCall:
                var call = ReqCall.Read(bytes);
                (content, written) = (call.ContentLength, call.Write(output, header));
                break;
            case Operation.ReplyCall:
                var reply = ReplyCall.Read(bytes);
                (content, written) = (reply.ContentLength, reply.Write(output, header));
                break;
            case Operation.ReqDmaster:
                var reqDmaster = ReqDmaster.Read(bytes);
                (content, written) = (reqDmaster.ContentLength, reqDmaster.Write(output, header));
                break;
            case Operation.ReplyDmaster:
                var replyDmaster = ReplyDmaster.Read(bytes);
                (content, written) = (replyDmaster.ContentLength, replyDmaster.Write(output, header));
                break;
            case Operation.ReplyError:
                var error = ReplyError.Read(bytes);
                (content, written) = (error.ContentLength, error.Write(output, header));
                break;
            case Operation.ReqMessage:
                var message = ReqMessage.Read(bytes);
                CheckMessagePayload(packet, message.Srvid, message.Data);
                (content, written) = (message.ContentLength, message.Write(output, header));
                break;
            case Operation.ReqControl:
                var control = ReqControl.Read(bytes);
                pending[(packet.Stream, header.ReqId)] = control.Opcode;
                CheckControlData(packet, control.Opcode, control.Data, request: true);
                (content, written) = (control.ContentLength, control.Write(output, header));
                break;
            case Operation.ReplyControl:
                var rc = ReplyControl.Read(bytes);
                Assert.True(pending.TryGetValue((packet.PeerStream, header.ReqId), out var opcode), $"{packet}: reply without request");
                if (rc.Status == 0)
                {
                    CheckControlData(packet, opcode, rc.Data, request: false);
                }
                (content, written) = (rc.ContentLength, rc.Write(output, header));
                break;
            case Operation.ReqKeepalive:
                var keepalive = ReqKeepalive.Read(bytes);
                Assert.Equal(WireFormat.KeepaliveVersion, keepalive.Version);
                (content, written) = (keepalive.ContentLength, keepalive.Write(output, header));
                break;
            case Operation.ReqTunnel:
                var tunnel = ReqTunnel.Read(bytes);
                (content, written) = (tunnel.ContentLength, tunnel.Write(output, header));
                break;
            default:
                throw new InvalidDataException($"unexpected operation {header.Operation}");
        }

        Assert.Equal(Packet.WireSize(content), written);
        if (bytes.Length == written)
        {
            Assert.True(Hex.Of(bytes) == Hex.Of(output.AsSpan(0, written)), $"{packet}: re-encoding differs\n{Hex.Of(bytes)}\n{Hex.Of(output.AsSpan(0, written))}");
        }
        else
        {
            // Unpadded sender (smbd): same content, we only add the pad.
            Assert.True(bytes.Length == content, $"{packet}: {bytes.Length} bytes, content {content}, we wrote {written}");
            Assert.True(Hex.Of(bytes.AsSpan(4)) == Hex.Of(output.AsSpan(4, content - 4)), $"{packet}: re-encoding differs");
            Assert.True(output.AsSpan(content, written - content).IndexOfAnyExcept((byte)0) < 0, "pad must be zero");
        }
    }

    private static void CheckControlData(VectorPacket packet, ControlOpcode opcode, ReadOnlySpan<byte> data, bool request)
    {
        if (data.IsEmpty)
        {
            return;
        }
        var again = request ? ControlDataCodecs.ReencodeRequest(opcode, data) : ControlDataCodecs.ReencodeReply(opcode, data);
        Assert.True(again is not null, $"{packet}: no codec for {(request ? "request" : "reply")} data of {opcode}");
        var expected = data.ToArray();
        if (request && opcode == ControlOpcode.TcpClient)
        {
            MaskIpv4Tail(expected, 0);
            MaskIpv4Tail(expected, SockAddr.Size);
        }
        Assert.True(Hex.Of(expected) == Hex.Of(again), $"{packet}: {opcode} data re-encodes differently\n{Hex.Of(expected)}\n{Hex.Of(again)}");
    }

    private static void CheckMessagePayload(VectorPacket packet, ulong srvid, ReadOnlySpan<byte> data)
    {
        if (srvid == Srvid.Leader)
        {
            Assert.Equal(4, data.Length);
        }
        else if ((srvid & 0xFF00000000000000) == Srvid.ClientRange)
        {
            // Traverse stream: exactly one rec_data per message, its length = the payload size.
            var rec = RecData.Read(data, out int consumed);
            Assert.True(consumed == data.Length, $"{packet}: rec_data length {consumed} != payload {data.Length}");
            var again = new byte[rec.EncodedSize];
            rec.Write(again);
            Assert.Equal(Hex.Of(data), Hex.Of(again));
            if (!rec.IsEndMarker)
            {
                Assert.True(rec.Data.Length >= LtdbHeader.Size, $"{packet}: traverse record without ltdb header");
            }
        }
        else if ((srvid & 0xFFFF000000000000) == Srvid.Recovery)
        {
            var buffer = RecBuffer.Read(data);
            var again = new byte[buffer.EncodedSize];
            buffer.Write(again);
            Assert.Equal(Hex.Of(data), Hex.Of(again));
        }
    }

    private static void MaskIpv4Tail(byte[] data, int offset)
    {
        if (BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(offset)) == SockAddr.FamilyInet)
        {
            data.AsSpan(offset + 16, 12).Clear();
        }
    }
}
