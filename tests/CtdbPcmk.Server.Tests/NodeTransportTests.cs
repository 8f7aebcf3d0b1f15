// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Server.Tests;

/// <summary>The TCP links between in-process daemons on 127.0.0.1-3, and a test playing a node.</summary>
public sealed class NodeTransportTests
{
    private static readonly TimeSpan s_connect = TimeSpan.FromSeconds(5);

    [Fact]
    public void Three_nodes_connect_and_forward_controls_to_the_right_node()
    {
        using var cluster = new NodeCluster(3);
        cluster.WaitFor(0, true, s_connect, 1, 2);
        cluster.WaitFor(1, true, s_connect, 0, 2);
        cluster.WaitFor(2, true, s_connect, 0, 1);

        using var c0 = cluster.Connect(0);
        using var c2 = cluster.Connect(2);
        Assert.Equal(1, c0.Control(ControlOpcode.GetPnn, 1, default).Status);
        Assert.Equal(2, c0.Control(ControlOpcode.GetPnn, 2, default).Status);
        Assert.Equal(0, c2.Control(ControlOpcode.GetPnn, 0, default).Status);
        // The node map as node 2 sees it, fetched through node 0.
        var map = c0.GetNodeMap(2);
        Assert.Equal(3, map.Count);
        Assert.All(map, n => Assert.Equal(0u, n.Flags & NodeFlags.Disconnected));
        // Many forwarded controls in a row: every reply comes back to its request.
        for (int i = 0; i < 500; i++)
        {
            uint dest = (uint)(i % 2) + 1;
            Assert.Equal((int)dest, c0.ControlRaw(ControlOpcode.GetPnn, dest, default));
        }
    }

    [Fact]
    public void A_node_held_off_gets_no_link_either_way_until_it_is_let_back()
    {
        using var cluster = new NodeCluster(3);
        cluster.WaitFor(0, true, s_connect, 1, 2);
        cluster.WaitFor(2, true, s_connect, 0, 1);

        // As Corosync leaving node 2 out of node 0's membership does.
        cluster.OnLoop(0, d => d.Links.Hold(2, "left out of the membership"));
        cluster.WaitFor(0, false, s_connect, 2);
        cluster.WaitFor(2, false, s_connect, 0);
        // Node 2 keeps trying to connect (every second at most) and is refused every time.
        Thread.Sleep(2500);
        Assert.False(cluster.SeesConnected(0, 2));
        Assert.False(cluster.SeesConnected(2, 0));
        Assert.True(cluster.SeesConnected(1, 2));
        Assert.True(cluster.SeesConnected(0, 1));

        cluster.OnLoop(0, d => d.Links.Hold(2, null));
        cluster.WaitFor(0, true, s_connect, 2);
        cluster.WaitFor(2, true, s_connect, 0);
    }

    [Fact]
    public void Messages_reach_a_remote_srvid_and_broadcasts_reach_every_node()
    {
        using var cluster = new NodeCluster(3);
        cluster.WaitFor(0, true, s_connect, 1, 2);
        cluster.WaitFor(1, true, s_connect, 0, 2);
        cluster.WaitFor(2, true, s_connect, 0, 1);
        const ulong srvid = 0xAE00_0000_0000_7777;
        using var c0 = cluster.Connect(0);
        using var c1 = cluster.Connect(1);
        using var c2 = cluster.Connect(2);
        c0.RegisterSrvid(srvid);
        c1.RegisterSrvid(srvid);
        c2.RegisterSrvid(srvid);

        using var sender = cluster.Connect(0);
        sender.SendMessage(1, srvid, "to-node-1"u8);
        Assert.True(c1.TryReceiveMessage(TimeSpan.FromSeconds(5), out var m1));
        Assert.Equal("to-node-1"u8.ToArray(), m1!.Data);
        Assert.Equal(srvid, m1.Srvid);
        Assert.False(c2.TryReceiveMessage(TimeSpan.FromMilliseconds(100), out _));
        Assert.False(c0.TryReceiveMessage(TimeSpan.Zero, out _));

        sender.SendMessage(WireFormat.BroadcastConnected, srvid, "everyone"u8);
        foreach (var c in new[] { c0, c1, c2 })
        {
            Assert.True(c.TryReceiveMessage(TimeSpan.FromSeconds(5), out var m));
            Assert.Equal("everyone"u8.ToArray(), m!.Data);
        }
    }

    [Fact]
    public async Task A_node_speaks_padded_packets_on_its_sending_link_and_reads_replies_on_the_other()
    {
        using var cluster = new NodeCluster(3, start: [0, 1]);
        using var fake = new FakeNode(cluster, 2);
        var fromNode0 = fake.AcceptFrom(0, s_connect);
        Assert.NotNull(fromNode0);
        var toNode0 = fake.ConnectTo(0);
        cluster.WaitFor(0, true, s_connect, 1, 2);

        using var c0 = cluster.Connect(0);
        var pending = Task.Run(() => c0.Control(ControlOpcode.GetPnn, 2, default));
        var packet = FakeNode.ReadPacket(fromNode0!);
        while (PacketHeader.Read(packet).Operation == Operation.ReqKeepalive)
        {
            packet = FakeNode.ReadPacket(fromNode0!);
        }
        Assert.Equal(0, packet.Length % 8);
        var header = PacketHeader.Read(packet);
        Assert.Equal(Operation.ReqControl, header.Operation);
        Assert.Equal((2u, 0u), (header.DestNode, header.SrcNode));
        Assert.Equal(ControlOpcode.GetPnn, ReqControl.Read(packet).Opcode);

        var reply = new byte[64];
        int size = new ReplyControl { Status = 42 }.Write(reply, new PacketHeader(0, header.Generation, Operation.ReplyControl, 0, 2, header.ReqId));
        toNode0.Send(reply.AsSpan(0, size));
        var result = await pending.WaitAsync(s_connect);
        Assert.Equal(42, result.Status);
    }

    public static TheoryData<string> BadInput => new() { "garbage", "unaligned", "on-sending-link" };

    [Theory]
    [MemberData(nameof(BadInput))]
    public void Bad_input_closes_that_link_only_and_the_node_reconnects(string kind)
    {
        using var cluster = new NodeCluster(3, start: [0, 1]);
        using var fake = new FakeNode(cluster, 2);
        var fromNode0 = fake.AcceptFrom(0, s_connect);
        Assert.NotNull(fromNode0);
        var toNode0 = fake.ConnectTo(0);
        cluster.WaitFor(0, true, s_connect, 1, 2);

        switch (kind)
        {
            case "garbage":
                toNode0.Send(Enumerable.Repeat((byte)0xAB, 100).ToArray());
                break;
            case "unaligned":
                // A well-formed keepalive whose length is not a multiple of 8.
                var bad = new byte[44];
                new ReqKeepalive { Version = WireFormat.KeepaliveVersion }.Write(bad, new PacketHeader(0, 1, Operation.ReqKeepalive, 0, 2, 0));
                BinaryPrimitives.WriteUInt32LittleEndian(bad, 44);
                toNode0.Send(bad);
                break;
            default:
                fromNode0!.Send(new byte[40]);
                break;
        }
        // Both links with the misbehaving node go; the rest of the node goes on.
        Assert.True(FakeNode.ClosedByPeer(toNode0, s_connect), "node 0 kept the receiving link");
        Assert.True(FakeNode.ClosedByPeer(fromNode0!, s_connect), "node 0 kept the sending link");
        cluster.WaitFor(0, false, s_connect, 2);
        Assert.True(cluster.SeesConnected(0, 1));
        using var c0 = cluster.Connect(0);
        Assert.Equal(1, c0.Control(ControlOpcode.GetPnn, 1, default).Status);

        // Node 0 comes back on its own; once this node connects again, the pair is connected.
        var again = fake.AcceptFrom(0, s_connect);
        Assert.NotNull(again);
        fake.ConnectTo(0);
        cluster.WaitFor(0, true, s_connect, 2);
    }

    [Fact]
    public void Connections_from_unknown_addresses_and_second_links_are_closed_at_once()
    {
        using var cluster = new NodeCluster(3, start: [0, 1]);
        using var fake = new FakeNode(cluster, 2);
        Assert.NotNull(fake.AcceptFrom(0, s_connect));
        var first = fake.ConnectTo(0);
        cluster.WaitFor(0, true, s_connect, 1, 2);

        using (var stranger = FakeNode.Open(NodeCluster.Address(8), 0, cluster.Port))
        {
            Assert.True(FakeNode.ClosedByPeer(stranger, TimeSpan.FromSeconds(2)), "a connection from 127.0.0.9 was kept");
        }
        var second = fake.ConnectTo(0);
        Assert.True(FakeNode.ClosedByPeer(second, TimeSpan.FromSeconds(2)), "a second link from node 2 was kept");
        // The first link is untouched.
        Assert.False(FakeNode.ClosedByPeer(first, TimeSpan.FromMilliseconds(300)));
        Assert.True(cluster.SeesConnected(0, 2));
        Assert.True(cluster.SeesConnected(0, 1));
    }

    [Fact]
    public void A_silent_node_is_disconnected_after_the_keepalive_limit()
    {
        var tunables = new Dictionary<string, uint> { ["KeepaliveInterval"] = 1, ["KeepaliveLimit"] = 2 };
        using var cluster = new NodeCluster(3, start: [0, 1], tunables: tunables);
        using var fake = new FakeNode(cluster, 2);
        var fromNode0 = fake.AcceptFrom(0, s_connect);
        Assert.NotNull(fromNode0);
        var toNode0 = fake.ConnectTo(0);
        cluster.WaitFor(0, true, s_connect, 1, 2);
        var connectedAt = DateTime.UtcNow;

        // The daemon sends keepalives to the silent node: 40 bytes, 4.17 version, its uptime.
        var keepalive = FakeNode.ReadPacket(fromNode0!);
        Assert.Equal(Operation.ReqKeepalive, PacketHeader.Read(keepalive).Operation);
        Assert.Equal(40, keepalive.Length);
        Assert.Equal(WireFormat.KeepaliveVersion, ReqKeepalive.Read(keepalive).Version);

        // The fake node says nothing after connecting: it is dead Limit × Interval (2 s) after
        // that, and its links are closed (a little slack for the test's own scheduling).
        Assert.True(FakeNode.ClosedByPeer(toNode0, TimeSpan.FromSeconds(4)));
        var lost = DateTime.UtcNow - connectedAt;
        Assert.True(lost >= TimeSpan.FromSeconds(1.8), $"declared dead after only {lost}");
        Assert.True(lost <= TimeSpan.FromSeconds(2.5), $"declared dead only after {lost}");
        Assert.False(cluster.SeesConnected(0, 2));
        // Node 1 keeps talking, so it stays.
        Assert.True(cluster.SeesConnected(0, 1));
    }
}
