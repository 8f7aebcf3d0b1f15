// SPDX-License-Identifier: GPL-3.0-or-later
using System.Xml.Linq;
using Xunit.Abstractions;
using static CtdbPcmk.E2E.Tests.ClusterState;

namespace CtdbPcmk.E2E.Tests;

/// <summary>
/// The 3-node cluster with the daemon clone, the samba clone and two VIP groups (tests/pcmk-box,
/// profile ours).
/// Tests that break a node or mark it unhealthy restore the cluster before they end.
/// </summary>
public sealed partial class ClusterTests : IClassFixture<ClusterFixture>
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
        // smbd listens on port 445 of every address: this plain TCP peer uses a port of its own.
        TcpPeers.StartServer(_box, leader, vip, 4445);
        var (client, clientPort) = TcpPeers.Connect(_box, vip, 4445);
        // The unblock instance records the connection in the shared tickle_dir on its monitor.
        var tickleFile = Path.Combine(_box.Dir, "shared", "tickle", vip);
        Wait.Until(() => File.Exists(tickleFile) && File.ReadAllText(tickleFile).Contains($":{clientPort}", StringComparison.Ordinal),
            TimeSpan.FromSeconds(15), () => $"connection to {vip} from port {clientPort} not recorded in {tickleFile}");
        int[] survivors = [.. new[] { 1, 2, 3 }.Where(n => n != leader)];
        // The connection tracker on the leader's node has put it in the daemon's replicated list:
        // the other nodes have it before the node fails (port 4445: smbd does not know it).
        Wait.Until(() => _box.Exec(survivors[0], "ctdb", "gettickles", vip).Stdout.Contains($"{ClientIp}:{clientPort}", StringComparison.Ordinal),
            TimeSpan.FromSeconds(5), () => _box.Exec(survivors[0], "ctdb", "gettickles", vip).ToString());

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
            // The promote's notify makes every survivor probe its links at once: recovery
            // follows the promotion within seconds, not after the keepalive limit.
            Assert.True(recovered <= TimeSpan.FromSeconds(10), $"recovery took {recovered.TotalSeconds:F1} s after the promotion");

            // Every address resource ends up once on a survivor (both groups move when the
            // leader held both addresses; the second may still be starting).
            Wait.Until(() =>
                {
                    var doc = _box.CrmMon(survivors[0]);
                    return AddressResources.All(id => CrmMon.Where(doc, id) is [var w] && w != $"n{leader}");
                },
                s_failover, () => _box.CrmMon(survivors[0]).ToString(), pollMs: 300);

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
        var node = CrmMon.NodeNumber(CrmMon.Where(_box.CrmMon(1), "vip2").Single());
        var pid = DaemonPid(node);
        // Any #health-* attribute counts with node-health-strategy=migrate-on-red; a name of the
        // test's own keeps the health agent's #health-ctdb updates from racing with it.
        _box.ExecOk(node, "attrd_updater", "-n", "#health-e2e", "-U", "red");
        try
        {
            var moved = AddressesLeaveAndDaemonStays(node, pid);
            _output.WriteLine($"n{node} red: its addresses left after {moved.TotalMilliseconds:F0} ms, its daemon instance stayed");
        }
        finally
        {
            _box.Exec(node, "attrd_updater", "-n", "#health-e2e", "-D");
            Settle(_box);
        }
    }

    /// <summary>
    /// The health agent's own path: a file system watched by ocf:ctdb:health fills past
    /// filesystem_critical on one node, the agent publishes #health-ctdb=red, the node's
    /// addresses leave and its daemon instance (the same process) stays; freeing the space
    /// turns the node green again.
    /// </summary>
    [Fact]
    public void FullFileSystemTurnsTheNodeRedThroughTheHealthAgent()
    {
        const string Mount = "/run/health-e2e";
        var node = CrmMon.NodeNumber(CrmMon.Where(_box.CrmMon(1), "vip2").Single());
        var pid = DaemonPid(node);
        // A small tmpfs in the node's own mount namespace stands for a full disk.
        _box.ExecOk(node, "mkdir", "-p", Mount);
        _box.ExecOk(node, "mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", Mount);
        try
        {
            _box.ExecOk(1, "pcs", "resource", "update", "health", $"filesystems=/var/lib/ctdb,{Mount}");
            _box.WaitStarted();
            Assert.Equal("green", HealthAttribute(node));

            // dd stops with "No space left on device": the file system is full.
            _box.Exec(node, "dd", "if=/dev/zero", $"of={Mount}/fill", "bs=64k");
            var red = Wait.Until(() => HealthAttribute(node) == "red", s_failover,
                () => $"#health-ctdb on n{node}: {HealthAttribute(node)}");
            var moved = AddressesLeaveAndDaemonStays(node, pid);

            _box.ExecOk(node, "rm", "-f", $"{Mount}/fill");
            var green = Wait.Until(() => HealthAttribute(node) == "green", s_failover,
                () => $"#health-ctdb on n{node}: {HealthAttribute(node)}");
            _output.WriteLine($"n{node} file system full: red after {red.TotalMilliseconds:F0} ms, addresses left " +
                $"{moved.TotalMilliseconds:F0} ms later, daemon PID {pid} stayed; green {green.TotalMilliseconds:F0} ms after freeing it");
        }
        finally
        {
            _box.Exec(1, "pcs", "resource", "update", "health", "filesystems=/var/lib/ctdb");
            _box.Exec(node, "umount", "-l", Mount);
        }
    }

    /// <summary>The node's #health-ctdb as attrd holds it, or "(none)".</summary>
    private string HealthAttribute(int node)
    {
        var r = _box.Exec(node, "attrd_updater", "-n", "#health-ctdb", "-Q");
        var at = r.Stdout.IndexOf("value=\"", StringComparison.Ordinal);
        return r.Code == 0 && at >= 0 ? r.Stdout[(at + 7)..].Split('"')[0] : "(none)";
    }

    /// <summary>The PID of node N's daemon, as the daemon itself reports it.</summary>
    private int DaemonPid(int node) =>
        int.Parse(_box.ExecOk(node, "ctdb", "getpid").Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Waits until no address and no address resource is on the node any more, then checks that
    /// all three daemon instances still run and the node's daemon is still process <paramref name="pid"/>.
    /// </summary>
    private TimeSpan AddressesLeaveAndDaemonStays(int node, int pid)
    {
        var moved = Wait.Until(() =>
        {
            var d = _box.CrmMon(node);
            return AddressResources.All(r => CrmMon.Where(d, r) is [var w] && w != $"n{node}") &&
                !_box.NodesWithAddress(Vip1).Contains(node) && !_box.NodesWithAddress(Vip2).Contains(node);
        }, s_failover, () => _box.CrmMon(node).ToString());
        var doc = _box.CrmMon(node);
        var daemonHere = CrmMon.InRole(doc, DaemonClone, "Promoted").Concat(CrmMon.InRole(doc, DaemonClone, "Unpromoted"));
        Assert.Contains($"n{node}", daemonHere);
        Assert.Equal(3, daemonHere.Count());
        Assert.Equal(pid, DaemonPid(node));
        return moved;
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
