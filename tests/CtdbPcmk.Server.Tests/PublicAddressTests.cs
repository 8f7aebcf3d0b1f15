// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using System.Text;
using CtdbPcmk.Client;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Server.Tests;

/// <summary>
/// Public addresses on three in-process nodes: who holds an address, and the connections to it,
/// as every node sees them. Addresses live on the loopback interface and the clients are
/// loopback addresses, so the takeover announcements the daemon sends stay on this host.
/// </summary>
public class PublicAddressTests
{
    private static readonly IPAddress Vip = IPAddress.Parse("127.200.0.10");
    private static readonly IPAddress Vip2 = IPAddress.Parse("127.200.0.11");
    private static readonly TimeSpan Replication = TimeSpan.FromSeconds(1);

    [Fact]
    public void A_takeover_on_node_0_is_seen_by_the_other_nodes()
    {
        using var cluster = new MemoryCluster(3);
        WaitConnected(cluster);
        using (var c = cluster.Connect(0))
        {
            c.AddPublicIp(Vip, 8, "lo");
            c.AddPublicIp(Vip2, 8, "lo");
            c.TakeoverIp(0, Vip);
        }
        foreach (uint pnn in new uint[] { 0, 1, 2 })
        {
            var ips = Eventually(() => cluster.Connect(pnn).Use(c => c.GetPublicIps()), l => l.Any(ip => ip.Address.Address.Equals(Vip) && ip.Pnn == 0));
            Assert.Contains(ips, ip => ip.Address.Address.Equals(Vip) && ip.Pnn == 0);
        }
        using var c0 = cluster.Connect(0);
        // Vip2 was added but not taken: known here with no holder, and only here.
        Assert.Contains(c0.GetPublicIps(), ip => ip.Address.Address.Equals(Vip2) && ip.Pnn == WireFormat.UnknownPnn);
        using var c1 = cluster.Connect(1);
        Assert.DoesNotContain(c1.GetPublicIps(), ip => ip.Address.Address.Equals(Vip2));
        // Node 1 has no interface for the address: ONLY_AVAILABLE leaves it out.
        Assert.Empty(c1.GetPublicIps(onlyAvailable: true));
        Assert.Equal(2, c0.GetPublicIps(onlyAvailable: true).Count);

        var info = c0.GetPublicIpInfo(Vip);
        Assert.Equal(0u, info.Ip.Pnn);
        Assert.Equal(0u, info.ActiveIdx);
        var lo = Assert.Single(info.Ifaces);
        Assert.Equal("lo", lo.Name);
        Assert.Equal(1u, lo.References);
        Assert.Equal(1, lo.LinkState);
        var ifaces = c0.GetIfaces();
        Assert.Equal(1u, Assert.Single(ifaces).References);
        var remote = c1.GetPublicIpInfo(Vip);
        Assert.Equal(0u, remote.Ip.Pnn);
        Assert.Empty(remote.Ifaces);
        var unknown = Assert.Throws<CtdbControlException>(() => c1.GetPublicIpInfo(IPAddress.Parse("127.200.0.99")));
        Assert.Equal(-1, unknown.Status);
    }

    [Fact]
    public void Takeover_of_an_address_not_added_here_fails_with_a_reason()
    {
        using var cluster = new MemoryCluster(1);
        using var c = cluster.Connect(0);
        var e = Assert.Throws<CtdbControlException>(() => c.TakeoverIp(0, Vip));
        Assert.Equal(-1, e.Status);
        Assert.Contains("not added", e.Message, StringComparison.Ordinal);
        c.AddPublicIp(Vip, 8, "lo");
        c.AddPublicIp(Vip, 8, "lo"); // idempotent
        c.TakeoverIp(0, Vip);
        Assert.Throws<CtdbControlException>(() => c.DelPublicIp(Vip, 8, "lo"));
        c.ReleaseIp(WireFormat.UnknownPnn, Vip);
        c.DelPublicIp(Vip, 8, "lo");
        Assert.Empty(c.GetPublicIps());
    }

    [Fact]
    public void A_registered_connection_reaches_every_node_and_leaves_with_its_client()
    {
        using var cluster = new MemoryCluster(3);
        WaitConnected(cluster);
        TakeOn(cluster, 0, Vip);
        var client = new IPEndPoint(IPAddress.Parse("127.201.0.5"), 40001);
        var server = new IPEndPoint(Vip, 445);
        var smbd = cluster.Connect(0);
        smbd.TcpClient(client, server);
        using (var other = cluster.Connect(0))
        {
            other.TcpClient(new IPEndPoint(IPAddress.Parse("127.201.0.6"), 40002), new IPEndPoint(Vip, 139));
        }
        // A connection to an address that is not public is ignored, loopback or not.
        smbd.TcpClient(client, new IPEndPoint(IPAddress.Parse("127.0.0.1"), 445));
        smbd.TcpClient(client, new IPEndPoint(IPAddress.Parse("192.0.2.1"), 445));

        var started = DateTime.UtcNow;
        foreach (uint pnn in new uint[] { 0, 1, 2 })
        {
            var list = Eventually(() => cluster.Connect(pnn).Use(c => c.GetTcpTickleList(Vip, 445)), l => l.Count == 1);
            Assert.Equal(new CtdbConnection(client, server), Assert.Single(list));
        }
        Assert.True(DateTime.UtcNow - started < Replication, "the connection took more than a second to reach every node");
        // The second client's connection went with its client.
        Assert.All(new uint[] { 0, 1, 2 }, pnn => Assert.Empty(cluster.Connect(pnn).Use(c => c.GetTcpTickleList(Vip, 139))));

        smbd.Dispose();
        started = DateTime.UtcNow;
        foreach (uint pnn in new uint[] { 0, 1, 2 })
        {
            Eventually(() => cluster.Connect(pnn).Use(c => c.GetTcpTickleList(Vip)), l => l.Count == 0);
        }
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(1.5), "removal took longer than about a second");
    }

    [Fact]
    public void A_connection_to_an_address_another_node_holds_is_refused()
    {
        using var cluster = new MemoryCluster(2);
        WaitConnected(cluster);
        TakeOn(cluster, 0, Vip);
        using var c1 = cluster.Connect(1);
        Eventually(() => c1.GetPublicIps(), l => l.Any(ip => ip.Pnn == 0));
        var e = Assert.Throws<CtdbControlException>(() => c1.TcpClient(new IPEndPoint(IPAddress.Parse("127.201.0.5"), 40001), new IPEndPoint(Vip, 445)));
        Assert.Equal(-1, e.Status);
    }

    [Fact]
    public void When_the_holder_dies_the_holder_is_unknown_and_the_connections_stay()
    {
        using var cluster = new MemoryCluster(3);
        WaitConnected(cluster);
        TakeOn(cluster, 0, Vip);
        var conn = new CtdbConnection(new IPEndPoint(IPAddress.Parse("127.201.0.7"), 40003), new IPEndPoint(Vip, 445));
        var smbd = cluster.Connect(0);
        smbd.TcpClient(conn.Source, conn.Destination);
        foreach (uint pnn in new uint[] { 1, 2 })
        {
            Eventually(() => cluster.Connect(pnn).Use(c => c.GetTcpTickleList(Vip)), l => l.Count == 1);
        }
        cluster.Kill(0);
        smbd.Dispose();
        foreach (uint pnn in new uint[] { 1, 2 })
        {
            Eventually(() => cluster.Connect(pnn).Use(c => c.GetPublicIps()), l => l.Single().Pnn == WireFormat.UnknownPnn);
            Assert.Equal(conn, Assert.Single(cluster.Connect(pnn).Use(c => c.GetTcpTickleList(Vip))));
        }
        // Node 1 takes the address over: it keeps the list and tells node 2.
        TakeOn(cluster, 1, Vip);
        Eventually(() => cluster.Connect(2).Use(c => c.GetPublicIps()), l => l.Single().Pnn == 1);
        Assert.Equal(conn, Assert.Single(cluster.Connect(1).Use(c => c.GetTcpTickleList(Vip))));
        Assert.Equal(conn, Assert.Single(cluster.Connect(2).Use(c => c.GetTcpTickleList(Vip))));
    }

    [Fact]
    public void A_rejoining_node_learns_the_table()
    {
        using var cluster = new MemoryCluster(3);
        WaitConnected(cluster);
        TakeOn(cluster, 0, Vip);
        using var smbd = cluster.Connect(0);
        var conn = new CtdbConnection(new IPEndPoint(IPAddress.Parse("127.201.0.8"), 40004), new IPEndPoint(Vip, 445));
        smbd.TcpClient(conn.Source, conn.Destination);
        cluster.Kill(2);
        cluster.Start(2);
        var ips = Eventually(() => cluster.Connect(2).Use(c => c.GetPublicIps()), l => l.Count == 1 && l[0].Pnn == 0);
        Assert.Equal(Vip, ips[0].Address.Address);
        Assert.Equal(conn, Assert.Single(Eventually(() => cluster.Connect(2).Use(c => c.GetTcpTickleList(Vip)), l => l.Count == 1)));
    }

    [Fact]
    public void Release_tells_local_clients_and_the_other_nodes()
    {
        using var cluster = new MemoryCluster(2);
        WaitConnected(cluster);
        using var smbd = cluster.Connect(0);
        smbd.RegisterSrvid(Srvid.ReleaseIp);
        smbd.RegisterSrvid(Srvid.TakeIp);
        TakeOn(cluster, 0, Vip);
        Assert.True(smbd.TryReceiveMessage(TimeSpan.FromSeconds(5), out var take));
        Assert.Equal(Srvid.TakeIp, take!.Srvid);
        Assert.Equal("127.200.0.10\0", Encoding.ASCII.GetString(take.Data));
        Eventually(() => cluster.Connect(1).Use(c => c.GetPublicIps()), l => l.Any(ip => ip.Pnn == 0));

        using (var agent = cluster.Connect(0))
        {
            agent.ReleaseIp(WireFormat.UnknownPnn, Vip);
        }
        Assert.True(smbd.TryReceiveMessage(TimeSpan.FromSeconds(5), out var release));
        Assert.Equal(Srvid.ReleaseIp, release!.Srvid);
        Assert.Equal("127.200.0.10\0", Encoding.ASCII.GetString(release.Data));
        Assert.Equal(WireFormat.UnknownPnn, cluster.Connect(0).Use(c => c.GetPublicIps()).Single().Pnn);
        Eventually(() => cluster.Connect(1).Use(c => c.GetPublicIps()), l => l.Single().Pnn == WireFormat.UnknownPnn);
        // A release on a node that does not hold the address changes nothing there and sends nothing.
        using (var agent = cluster.Connect(1))
        {
            agent.ReleaseIp(WireFormat.UnknownPnn, Vip);
        }
        Assert.False(smbd.TryReceiveMessage(TimeSpan.FromMilliseconds(300), out _));
    }

    [Fact]
    public void Takeover_sends_three_announcement_rounds_510_ms_apart()
    {
        // The rounds' timing, observed through the loop: a capture on the wire is in the agents' root tests.
        using var cluster = new MemoryCluster(1);
        var started = DateTime.UtcNow;
        TakeOn(cluster, 0, Vip);
        Assert.InRange(cluster.OnLoop(0, d => d.PublicAddressRoundsSent(Vip)), 1, 2); // the first before the reply
        Eventually(() => cluster.OnLoop(0, d => d.PublicAddressRoundsSent(Vip)), n => n == 3);
        Assert.True(DateTime.UtcNow - started >= 2 * PublicAddresses.PublicAddressTable.RoundInterval);
        Thread.Sleep(700);
        Assert.Equal(3, cluster.OnLoop(0, d => d.PublicAddressRoundsSent(Vip)));
    }

    private static void TakeOn(MemoryCluster cluster, uint pnn, IPAddress address)
    {
        using var c = cluster.Connect(pnn);
        c.AddPublicIp(address, 8, "lo");
        c.TakeoverIp(pnn, address);
    }

    private static void WaitConnected(MemoryCluster cluster)
    {
        foreach (uint pnn in cluster.Running)
        {
            Eventually(() => cluster.Connect(pnn).Use(c => c.GetNodeMap()), m => m.All(n => (n.Flags & NodeFlags.Disconnected) == 0));
        }
    }

    private static T Eventually<T>(Func<T> probe, Func<T, bool> done, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var value = probe();
            if (done(value))
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"condition not reached; last value {value}");
            }
            Thread.Sleep(20);
        }
    }
}

internal static class ClientUse
{
    public static T Use<T>(this CtdbClient client, Func<CtdbClient, T> action)
    {
        using (client)
        {
            return action(client);
        }
    }
}
