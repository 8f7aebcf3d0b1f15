// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using CtdbPcmk.Client;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Conformance.Tests;

/// <summary>
/// The real ctdb tool's public address commands against two ctdb-pcmkd nodes, after the
/// addresses were added and taken through the client library (as the vip agent does). Real
/// ctdbd would need its failover scripts for the same state, so the expected output is written
/// out here, in the tool's own formats.
/// </summary>
public sealed class PublicIpToolTests
{
    [Fact]
    public async Task Ip_ipinfo_ifaces_and_gettickles_show_the_daemons_table()
    {
        using var cluster = LocalCluster.Start(DaemonKind.Ours, 2, ClusterReadiness.Node0Answers, TimeSpan.FromSeconds(60));
        using (var c = CtdbClient.Connect(cluster.Socket(0)))
        {
            c.Timeout = TimeSpan.FromSeconds(10);
            await WaitConnectedAsync(c);
            // 127.200.0.10 is held by node 0, 127.200.0.11 is added on both nodes and held by
            // node 1, 127.200.0.12 is added on node 0 only and held by nobody.
            c.AddPublicIp(IPAddress.Parse("127.200.0.10"), 8, "lo");
            c.AddPublicIp(IPAddress.Parse("127.200.0.12"), 8, "lo");
            c.AddPublicIp(IPAddress.Parse("127.200.0.11"), 8, "lo");
            c.AddPublicIp(IPAddress.Parse("127.200.0.11"), 8, "lo", destNode: 1);
            c.TakeoverIp(0, IPAddress.Parse("127.200.0.10"));
            c.TakeoverIp(1, IPAddress.Parse("127.200.0.11"), destNode: 1);
            c.TcpClient(new IPEndPoint(IPAddress.Parse("127.201.0.5"), 40001), new IPEndPoint(IPAddress.Parse("127.200.0.10"), 445));
            c.TcpClient(new IPEndPoint(IPAddress.Parse("127.201.0.6"), 40002), new IPEndPoint(IPAddress.Parse("127.200.0.10"), 139));
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!c.GetPublicIps().Any(ip => ip.Pnn == 1) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            Expect(cluster, 0, ["ip"],
                "Public IPs on node 0\n127.200.0.10 0\n127.200.0.11 1\n127.200.0.12 -1\n");
            Expect(cluster, 0, ["ip", "all"],
                "Public IPs on ALL nodes\n127.200.0.10 0\n127.200.0.11 1\n127.200.0.12 -1\n");
            Expect(cluster, 1, ["ip", "all"],
                "Public IPs on ALL nodes\n127.200.0.10 0\n127.200.0.11 1\n127.200.0.12 -1\n");
            Expect(cluster, 0, ["-X", "ip", "all"],
                "|Public IP|Node|\n|127.200.0.10|0|\n|127.200.0.11|1|\n|127.200.0.12|-1|\n");
            Expect(cluster, 0, ["ip", "-v"],
                "Public IPs on node 0\n"
                + "127.200.0.10 node[0] active[lo] available[lo] configured[lo]\n"
                + "127.200.0.11 node[1] active[] available[lo] configured[lo]\n"
                + "127.200.0.12 node[-1] active[] available[lo] configured[lo]\n");
            Expect(cluster, 0, ["ip", "all", "-v"],
                "Public IPs on ALL nodes\n"
                + "127.200.0.10 node[0] active[lo] available[lo] configured[lo]\n"
                + "127.200.0.11 node[1] active[lo] available[lo] configured[lo]\n"
                + "127.200.0.12 node[-1] active[] available[] configured[]\n");
            Expect(cluster, 0, ["-X", "ip", "-v"],
                "|Public IP|Node|ActiveInterfaces|AvailableInterfaces|ConfiguredInterfaces|\n"
                + "|127.200.0.10|0|lo|lo|lo|\n|127.200.0.11|1||lo|lo|\n|127.200.0.12|-1||lo|lo|\n");
            Expect(cluster, 0, ["ipinfo", "127.200.0.10"],
                "Public IP[127.200.0.10] info on node 0\nIP:127.200.0.10\nCurrentNode:0\nNumInterfaces:1\n"
                + "Interface[1]: Name:lo Link:up References:1 (active)\n");
            Expect(cluster, 1, ["ipinfo", "127.200.0.10"],
                "Public IP[127.200.0.10] info on node 1\nIP:127.200.0.10\nCurrentNode:0\nNumInterfaces:0\n");
            var unknown = cluster.Ctdb(0, ["ipinfo", "192.0.2.77"]);
            Assert.NotEqual(0, unknown.Code);
            Assert.Contains("Node 0 does not know about IP 192.0.2.77", unknown.Stdout, StringComparison.Ordinal);
            Expect(cluster, 0, ["ifaces"], "Interfaces on node 0\nname:lo link:up references:1\n");
            Expect(cluster, 0, ["-X", "ifaces"], "|Name|LinkStatus|References|\n|lo|1|1|\n");
            Expect(cluster, 1, ["ifaces"], "Interfaces on node 1\nname:lo link:up references:1\n");

            // The connections, on the holder and (replicated) on the other node, all or by port.
            foreach (int pnn in new[] { 0, 1 })
            {
                var all = await PollAsync(cluster, pnn, ["gettickles", "127.200.0.10"], "Num connections: 2");
                Assert.Equal(
                    "Connections for IP: 127.200.0.10\nNum connections: 2\n"
                    + "SRC: 127.201.0.5:40001   DST: 127.200.0.10:445\nSRC: 127.201.0.6:40002   DST: 127.200.0.10:139\n",
                    all);
                Expect(cluster, pnn, ["gettickles", "127.200.0.10", "445"],
                    "Connections for IP: 127.200.0.10\nNum connections: 1\nSRC: 127.201.0.5:40001   DST: 127.200.0.10:445\n");
            }
            Expect(cluster, 0, ["gettickles", "127.200.0.12"], "Connections for IP: 127.200.0.12\nNum connections: 0\n");
        }
    }

    private static void Expect(LocalCluster cluster, int pnn, string[] args, string expected)
    {
        var r = cluster.Ctdb(pnn, args);
        Assert.True(r.Code == 0, $"ctdb {string.Join(' ', args)} on node {pnn}: {r}");
        Assert.Equal(expected, r.Stdout);
    }

    private static async Task<string> PollAsync(LocalCluster cluster, int pnn, string[] args, string wanted)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var r = cluster.Ctdb(pnn, args);
            if ((r.Code == 0 && r.Stdout.Contains(wanted, StringComparison.Ordinal)) || DateTime.UtcNow > deadline)
            {
                return r.Stdout;
            }
            await Task.Delay(100);
        }
    }

    private static async Task WaitConnectedAsync(CtdbClient c)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (c.GetNodeMap().Any(n => (n.Flags & NodeFlags.Disconnected) != 0))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the two nodes did not connect");
            }
            await Task.Delay(100);
        }
    }
}
