// SPDX-License-Identifier: GPL-3.0-or-later
using System.Xml.Linq;
using Xunit.Abstractions;
using static CtdbPcmk.E2E.Tests.ClusterState;

namespace CtdbPcmk.E2E.Tests;

/// <summary>
/// The 3-node cluster with the daemon clone and two VIP groups (tests/pcmk-box, profile ours).
/// Tests that break a node or mark it unhealthy restore the cluster before they end.
/// </summary>
public sealed class ClusterTests : IClassFixture<ClusterFixture>
{
    private static readonly TimeSpan s_failover = TimeSpan.FromSeconds(60);
    private readonly Box _box;
    private readonly ITestOutputHelper _output;

    public ClusterTests(ClusterFixture fixture, ITestOutputHelper output)
    {
        _box = fixture.Box;
        _output = output;
        Restore(_box);
    }

    [Fact]
    public void CrmMonXmlShowsEveryResourceStartedAndOneLeader()
    {
        var doc = _box.CrmMon(1);
        Assert.Equal(["n1", "n2", "n3"], CrmMon.OnlineNodes(doc).Order(StringComparer.Ordinal));
        foreach (var id in Resources)
        {
            Assert.True(CrmMon.Where(doc, id).Count > 0, $"{id} is not started:\n{doc}");
        }

        foreach (var (resource, _) in CrmMon.Primitives(doc))
        {
            Assert.True(CrmMon.IsActive(resource), $"not active: {resource}");
        }

        Assert.Single(CrmMon.InRole(doc, DaemonClone, "Promoted"));
        Assert.Equal(2, CrmMon.InRole(doc, DaemonClone, "Unpromoted").Count);
    }

    [Fact]
    public void PcsDescribesEveryAgent()
    {
        Assert.Superset(new HashSet<string> { "ctdbd", "portblock", "vip" }, OcfRoot.Agents.ToHashSet());
        foreach (var agent in OcfRoot.Agents)
        {
            var described = _box.Exec(1, "pcs", "resource", "describe", $"ocf:ctdb:{agent}");
            Assert.True(described.Code == 0, $"pcs resource describe ocf:ctdb:{agent}: {described}");
            Assert.Contains($"ocf:ctdb:{agent}", described.Stdout, StringComparison.Ordinal);
            var metadata = XDocument.Parse(_box.ExecOk(1, "env", "OCF_ROOT=/usr/lib/ocf", $"/usr/lib/ocf/resource.d/ctdb/{agent}", "meta-data"));
            foreach (var parameter in metadata.Descendants("parameter").Select(p => (string)p.Attribute("name")!))
            {
                Assert.True(described.Stdout.Contains(parameter, StringComparison.Ordinal), $"{agent}: parameter {parameter} missing from\n{described.Stdout}");
            }
        }
    }

    [Fact]
    public void KillingTheLeadersNodePromotesAnotherAndMovesItsAddressesAndResetsItsClients()
    {
        var leader = Promoted(_box, 1);
        var vip = PlaceAVipOn(leader);
        TcpPeers.StartServer(_box, leader, vip, 445);
        var (client, clientPort) = TcpPeers.Connect(_box, vip, 445);
        // The unblock instance records the connection in the shared tickle_dir on its monitor.
        var tickleFile = Path.Combine(_box.Dir, "shared", "tickle", vip);
        Wait.Until(() => File.Exists(tickleFile) && File.ReadAllText(tickleFile).Contains($":{clientPort}", StringComparison.Ordinal),
            TimeSpan.FromSeconds(15), () => $"connection to {vip} from port {clientPort} not recorded in {tickleFile}");
        int[] survivors = [.. new[] { 1, 2, 3 }.Where(n => n != leader)];

        var killedAt = TcpPeers.MonotonicNs();
        _box.Kill(leader);
        try
        {
            var vipUp = Wait.Until(() => _box.NodesWithAddress(vip) is [var n] && n != leader, s_failover,
                () => $"{vip} on [{string.Join(' ', _box.NodesWithAddress(vip))}]");
            var (outcome, at) = TcpPeers.Outcome(client, 30_000);
            Assert.Equal("reset", outcome);
            var reset = TimeSpan.FromTicks((at - killedAt) / 100);

            var promoted = Wait.Until(() => CrmMon.InRole(_box.CrmMon(survivors[0]), DaemonClone, "Promoted") is [var p] && p != $"n{leader}",
                s_failover, () => _box.CrmMon(survivors[0]).ToString());
            var newLeader = Promoted(_box, survivors[0]);
            Assert.Contains(newLeader, survivors);

            // Recovery done: every survivor's daemon sees the survivors OK, the dead node
            // disconnected, normal recovery mode, one generation.
            var recovered = Wait.Until(() => Recovered(survivors, leader), s_failover,
                () => string.Join("\n", survivors.Select(s => $"n{s}: {Ctdb(_box, s)}")));

            var doc = _box.CrmMon(survivors[0]);
            foreach (var id in Resources.Where(r => r != "ctdb"))
            {
                var where = CrmMon.Where(doc, id);
                Assert.True(where is [var w] && w != $"n{leader}", $"{id} on [{string.Join(' ', where)}]");
            }

            _output.WriteLine($"killed leader n{leader}: {vip} up on a survivor after {vipUp.TotalMilliseconds:F0} ms, " +
                $"client reset after {reset.TotalMilliseconds:F0} ms, n{newLeader} promoted after {vipUp.TotalMilliseconds + promoted.TotalMilliseconds:F0} ms, " +
                $"recovered {recovered.TotalMilliseconds:F0} ms later");
        }
        finally
        {
            Restore(_box);
        }
    }

    [Fact]
    public void RedNodeLosesItsAddressesAndKeepsItsDaemon()
    {
        var doc = _box.CrmMon(1);
        var node = CrmMon.NodeNumber(CrmMon.Where(doc, "vip2").Single());
        // Any #health-* attribute counts with node-health-strategy=migrate-on-red; a name of the
        // test's own keeps the health agent's #health-ctdb updates from racing with it.
        _box.ExecOk(node, "attrd_updater", "-n", "#health-e2e", "-U", "red");
        try
        {
            var moved = Wait.Until(() =>
            {
                var d = _box.CrmMon(node);
                return Resources.Where(r => r != "ctdb").All(r => CrmMon.Where(d, r) is [var w] && w != $"n{node}") &&
                    !_box.NodesWithAddress(Vip1).Contains(node) && !_box.NodesWithAddress(Vip2).Contains(node);
            }, s_failover, () => _box.CrmMon(node).ToString());
            doc = _box.CrmMon(node);
            var daemonHere = CrmMon.InRole(doc, DaemonClone, "Promoted").Concat(CrmMon.InRole(doc, DaemonClone, "Unpromoted"));
            Assert.Contains($"n{node}", daemonHere);
            Assert.Equal(3, daemonHere.Count());
            _output.WriteLine($"n{node} red: its addresses left after {moved.TotalMilliseconds:F0} ms, its daemon instance stayed");
        }
        finally
        {
            _box.Exec(node, "attrd_updater", "-n", "#health-e2e", "-D");
        }
    }

    /// <summary>The VIP to use on the node: one already there, else VIP 1 moved there.</summary>
    private string PlaceAVipOn(int node)
    {
        for (var i = 1; i <= 2; i++)
        {
            if (_box.NodesWithAddress(Vip(i)) is [var n] && n == node)
            {
                return Vip(i);
            }
        }

        _box.ExecOk(1, "crm_resource", "--move", "-r", "g-vip1", "-N", $"n{node}");
        Wait.Until(() => _box.NodesWithAddress(Vip1) is [var n] && n == node && CrmMon.Where(_box.CrmMon(1), "vip1-unblock") is [var u] && u == $"n{node}",
            s_failover, () => _box.CrmMon(1).ToString());
        _box.ExecOk(1, "crm_resource", "--clear", "-r", "g-vip1");
        return Vip1;
    }

    private bool Recovered(int[] survivors, int dead)
    {
        var states = survivors.Select(s => Ctdb(_box, s)).ToList();
        return states.All(st =>
                st.RecoveryMode == "NORMAL" &&
                survivors.All(s => st.NodeFlags.TryGetValue(s - 1, out var f) && f == "OK") &&
                st.NodeFlags.TryGetValue(dead - 1, out var d) && d.Contains("DISCONNECTED", StringComparison.Ordinal)) &&
            states.Select(st => st.Generation).Distinct().Count() == 1;
    }
}
