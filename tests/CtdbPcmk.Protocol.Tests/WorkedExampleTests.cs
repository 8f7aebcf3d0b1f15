// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using System.Text;

namespace CtdbPcmk.Protocol.Tests;

/// <summary>The byte-level examples of the protocol reference §7, captured from ctdbd 4.17.12.</summary>
public class WorkedExampleTests
{
    private const uint Generation = 0x28798e51;

    [Fact]
    public void GetPnn_smbd_style_unpadded_request_and_reply()
    {
        var request = Hex.Parse("""
            3c000000 42445443 01000000 00000000 07000000 010000f0 00000000 01000000
            23000000 00000000 00000000 00000000 00000000 00000000 00000000
            """);
        var header = PacketHeader.Read(request);
        Assert.Equal(60u, header.Length);
        Assert.Equal(Operation.ReqControl, header.Operation);
        Assert.Equal(WireFormat.CurrentNode, header.DestNode);
        var control = ReqControl.Read(request);
        Assert.Equal(ControlOpcode.GetPnn, control.Opcode);
        Assert.Equal(60, control.ContentLength);
        // We always pad: the same content, length 64 and 4 zero bytes.
        var buffer = new byte[64];
        Assert.Equal(64, control.Write(buffer, header));
        Assert.Equal(Hex.Of(request.AsSpan(4)), Hex.Of(buffer.AsSpan(4, 56)));
        Assert.Equal(64u, PacketHeader.Read(buffer).Length);

        var reply = Hex.Parse("""
            30000000 42445443 01000000 518e7928 08000000 00000000 01000000 01000000
            01000000 00000000 00000000 00000000
            """);
        var replyHeader = PacketHeader.Read(reply);
        Assert.Equal(Generation, replyHeader.Generation);
        var rc = ReplyControl.Read(reply);
        Assert.Equal(1, rc.Status);
        Assert.Equal(0, rc.Data.Length);
        var out2 = new byte[48];
        Assert.Equal(48, new ReplyControl { Status = 1 }.Write(out2, new PacketHeader(0, Generation, Operation.ReplyControl, 0, 1, 1)));
        Assert.Equal(Hex.Of(reply), Hex.Of(out2));
    }

    [Fact]
    public void GetPnn_cli_style_padded_round_trips_exactly()
    {
        var request = Hex.Parse("""
            40000000 42445443 01000000 00000000 07000000 010000f0 ffffffff 38ffff7f
            23000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000
            """);
        AssertRoundTrip(request, (p, b) => ReqControl.Read(p).Write(b, PacketHeader.Read(p)));
        var reply = Hex.Parse("30000000 42445443 01000000 518e7928 08000000 00000000 00000000 38ffff7f 00000000 00000000 00000000 00000000");
        Assert.Equal(0, ReplyControl.Read(reply).Status);
        AssertRoundTrip(reply, (p, b) => ReplyControl.Read(p).Write(b, PacketHeader.Read(p)));
    }

    [Fact]
    public void DbAttach_locking_tdb()
    {
        var request = Hex.Parse("""
            48000000 42445443 01000000 00000000 07000000 010000f0 00000000 1b000000
            12000000 00000000 00000000 00000000 00000000 00000000 0c000000 6c6f636b
            696e672e 74646200
            """);
        var control = ReqControl.Read(request);
        Assert.Equal(ControlOpcode.DbAttach, control.Opcode);
        Assert.Equal("locking.tdb", CString.DecodeTerminated(control.Data));
        Assert.Equal(72, control.ContentLength);
        AssertRoundTrip(request, (p, b) => ReqControl.Read(p).Write(b, PacketHeader.Read(p)));

        var reply = Hex.Parse("""
            30000000 42445443 01000000 518e7928 08000000 00000000 00000000 1b000000
            00000000 04000000 00000000 4dd8197a
            """);
        var rc = ReplyControl.Read(reply);
        Assert.Equal(JenkinsHash.Hash(CString.Encode("locking.tdb")), BitConverter.ToUInt32(rc.Data));
        AssertRoundTrip(reply, (p, b) => ReplyControl.Read(p).Write(b, PacketHeader.Read(p)));
    }

    [Fact]
    public void ReqCall_migrate_and_ReplyCall()
    {
        var request = Hex.Parse("""
            50000000 42445443 01000000 00000000 00000000 00000000 00000000 10000000
            01000000 4dd8197a 010000ff 00000000 18000000 00000000 00fe0000 00000000
            e607b200 00000000 00000000 00000000
            """);
        var call = ReqCall.Read(request);
        Assert.Equal(ReqCall.FlagImmediateMigration, call.Flags);
        Assert.Equal(0x7a19d84du, call.DbId);
        Assert.Equal(ReqCall.NullFunc, call.CallId);
        Assert.Equal(24, call.Key.Length);
        AssertRoundTrip(request, (p, b) => ReqCall.Read(p).Write(b, PacketHeader.Read(p)));

        var reply = Hex.Parse("30000000 42445443 01000000 518e7928 01000000 00000000 00000000 10000000 00000000 00000000 00000000 00000000");
        Assert.Equal(0, ReplyCall.Read(reply).Data.Length);
        AssertRoundTrip(reply, (p, b) => ReplyCall.Read(p).Write(b, PacketHeader.Read(p)));
    }

    [Fact]
    public void ReplyDmaster_node1_to_node0()
    {
        var packet = Hex.Parse("""
            40000000 42445443 01000000 518e7928 03000000 00000000 01000000 f7010000
            15001210 00000000 01000000 00000000 04000000 00000000 6b657931 00000000
            """);
        var body = ReplyDmaster.Read(packet);
        Assert.Equal(JenkinsHash.Hash(CString.Encode("testvol.tdb")), body.DbId);
        Assert.Equal(1ul, body.Rsn);
        Assert.Equal("key1", Encoding.ASCII.GetString(body.Key));
        Assert.Equal(0, body.Data.Length);
        Assert.Equal(0u, body.RecordFlags);
        AssertRoundTrip(packet, (p, b) => ReplyDmaster.Read(p).Write(b, PacketHeader.Read(p)));
    }

    [Fact]
    public void ReqDmaster_to_lmaster()
    {
        var packet = Hex.Parse("""
            60000000 42445443 01000000 518e7928 02000000 01000000 00000000 f7000000
            2b432a4d 00000000 03000000 00000000 01000000 1a000000 00000000
            7472616e73616374696f6e5f64625f3078393364346462646300
            00000000 000000000000
            """);
        var body = ReqDmaster.Read(packet);
        Assert.Equal(0x4d2a432bu, body.DbId);
        Assert.Equal(3ul, body.Rsn);
        Assert.Equal(1u, body.Dmaster);
        Assert.Equal("transaction_db_0x93d4dbdc", CString.DecodeTerminated(body.Key));
        Assert.Equal(90, body.ContentLength);
        AssertRoundTrip(packet, (p, b) => ReqDmaster.Read(p).Write(b, PacketHeader.Read(p)));
    }

    [Fact]
    public void Forwarded_ReqCall_node0_to_node1()
    {
        var packet = Hex.Parse("""
            50000000 42445443 01000000 518e7928 00000000 01000000 00000000 44080000
            01000000 4dd8197a 010000ff 00000000 18000000 00000000 00fe0000 00000000
            e707b200 00000000 00000000 00000000
            """);
        Assert.Equal(0xFF74D885u, JenkinsHash.Hash(ReqCall.Read(packet).Key));
        AssertRoundTrip(packet, (p, b) => ReqCall.Read(p).Write(b, PacketHeader.Read(p)));
    }

    [Fact]
    public void Keepalive()
    {
        var packet = Hex.Parse("28000000 42445443 01000000 518e7928 09000000 01000000 00000000 00000000 11000400 0a000000");
        var body = ReqKeepalive.Read(packet);
        Assert.True(body.HasVersion);
        Assert.Equal(WireFormat.KeepaliveVersion, body.Version);
        Assert.Equal(10u, body.Uptime);
        AssertRoundTrip(packet, (p, b) => ReqKeepalive.Read(p).Write(b, PacketHeader.Read(p)));
    }

    [Fact]
    public void Trans3Commit_payload()
    {
        var payload = Hex.Parse("""
            dcdbd493 02000000
            34000000 00000000 05000000 1f000000 706b657931
            01000000 00000000 00000000 00000000 00000000 00000000 7076616c756531
            47000000 00000000 17000000 20000000 5f5f64625f73657175656e63655f6e756d6265725f5f00
            01000000 00000000 00000000 00000000 00000000 00000000 01000000 00000000
            """);
        Assert.Equal(131, payload.Length);
        var buffer = RecBuffer.Read(payload);
        Assert.Equal(0x93d4dbdcu, buffer.DbId);
        Assert.Equal(2, buffer.Count);
        var keys = new List<string>();
        foreach (var rec in buffer)
        {
            keys.Add(Encoding.ASCII.GetString(rec.Key));
            Assert.Equal(1ul, rec.Header.Rsn);
            Assert.Equal(0u, rec.ReqId);
        }
        Assert.Equal(["pkey1", "__db_sequence_number__\0"], keys);

        var rebuilt = new byte[131];
        var writer = new RecBufferWriter(rebuilt, 0x93d4dbdc);
        Assert.True(writer.TryAdd(0, "pkey1"u8, new LtdbHeader(1, 0, 0), "pvalue1"u8));
        Assert.True(writer.TryAdd(0, "__db_sequence_number__\0"u8, new LtdbHeader(1, 0, 0), BitConverter.GetBytes(1ul)));
        Assert.Equal(131, writer.Length);
        Assert.Equal(Hex.Of(payload), Hex.Of(rebuilt));
    }

    [Fact]
    public void ReqMessage_to_smbd_pid()
    {
        var packet = new byte[96];
        Hex.Parse("""
            60000000 42445443 01000000 d6257b47 05000000 00000000 00000000 00000000
            ab0c0000 00000000 34000000 ab0c0000
            """).CopyTo(packet, 0);
        var message = ReqMessage.Read(packet);
        Assert.Equal(3243ul, message.Srvid);
        Assert.Equal(52, message.Data.Length);
        Assert.Equal(96, message.ContentLength);
        AssertRoundTrip(packet, (p, b) => ReqMessage.Read(p).Write(b, PacketHeader.Read(p)));
    }

    [Fact]
    public void Control_error_reply_to_disconnected_node()
    {
        var packet = Hex.Parse(
            "50000000 42445443 01000000 d6257b47 08000000 00000000 00000000 08000000 ffffffff 00000000 21000000"
            + Hex.Of(Encoding.ASCII.GetBytes("ctdb_control to disconnected node")) + "000000");
        var reply = ReplyControl.Read(packet);
        Assert.Equal(-1, reply.Status);
        Assert.Equal("ctdb_control to disconnected node", reply.ErrorText());
        AssertRoundTrip(packet, (p, b) => ReplyControl.Read(p).Write(b, PacketHeader.Read(p)));
    }

    [Fact]
    public void NodeMap_two_nodes()
    {
        var data = Hex.Parse("""
            02000000
            00000000 00000000 0200111b 7f000001 0000000000000000000000000000000000000000
            01000000 00000000 0200111b 7f000002 0000000000000000000000000000000000000000
            """);
        Assert.Equal(76, data.Length);
        var map = NodeMap.Read(data);
        Assert.Equal(2, map.Nodes.Count);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 4379), map.Nodes[1].Address);
        Assert.Equal(1u, map.Nodes[1].Pnn);
        var rebuilt = new byte[map.EncodedSize];
        Assert.Equal(76, map.Write(rebuilt));
        Assert.Equal(Hex.Of(data), Hex.Of(rebuilt));
    }

    private delegate int Rewrite(ReadOnlySpan<byte> packet, Span<byte> buffer);

    private static void AssertRoundTrip(byte[] packet, Rewrite rewrite)
    {
        var buffer = new byte[packet.Length + 16];
        int n = rewrite(packet, buffer);
        Assert.Equal(Hex.Of(packet), Hex.Of(buffer.AsSpan(0, n)));
    }
}
