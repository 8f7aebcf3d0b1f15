// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using static CtdbPcmk.E2E.Tests.ClusterState;

namespace CtdbPcmk.E2E.Tests;

/// <summary>
/// Clustered Samba through the VIPs (ocf:ctdb:samba on every node, the share in the directory all
/// nodes see), with real smbclient, smbtorture and an impacket client at the client address.
/// </summary>
public sealed partial class ClusterTests
{
    [Fact]
    public void TheShareServesTheSameFilesThroughBothVips()
    {
        var name = Unique("both");
        var local = Path.Combine(Path.GetTempPath(), name);
        var back = local + ".back";
        File.WriteAllText(local, "written through VIP 1\n");
        try
        {
            Smbclient(Vip1, $"lcd {Path.GetTempPath()}; put {name}");
            Assert.Contains(name, Smbclient(Vip2, "ls"), StringComparison.Ordinal);
            Smbclient(Vip2, $"lcd {Path.GetTempPath()}; get {name} {Path.GetFileName(back)}");
            Assert.Equal("written through VIP 1\n", File.ReadAllText(back));
            Assert.Contains(name, Smbclient(Vip1, "ls"), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(local);
            File.Delete(back);
        }
    }

    [Fact]
    public void SmbtortureDurableHandleReopenPassesThroughAVip()
    {
        var r = _box.Run("client", "smbtorture", $"//{Vip1}/share", "-N", "smb2.durable-v2-open.reopen1");
        Assert.True(r.Code == 0 && r.Stdout.Contains("success: reopen1", StringComparison.Ordinal), r.ToString());
    }

    /// <summary>
    /// pcs resource move of VIP 1's group: smbd on the old node drops the client's connection at
    /// once (RELEASE_IP), the client reconnects through the same address on the new node, finds
    /// what it wrote before the move and reclaims the durable handle it held. The address moves
    /// to a node that is not the leader, and the leader stays where it was: moving an address
    /// must not move the daemon's promotion (and run a recovery).
    /// </summary>
    [Fact]
    public void PlannedMoveDropsTheSessionAtOnceAndLosesNothing()
    {
        // The client's session must start on a settled cluster: an address still moving back
        // from an earlier test would take it down for a reason of its own.
        Settle(_box);
        var from = CrmMon.NodeNumber(CrmMon.Where(_box.CrmMon(1), "vip1").Single());
        var leader = Promoted(_box, 1);
        var to = new[] { 1, 2, 3 }.First(n => n != from && n != leader);
        var written = Unique("moved");
        var durable = Unique("durable");
        var client = SmbClient.Start(_box);
        client.Ok($"connect {Vip1} 10");
        client.Ok($"write {written} acknowledged before the move");
        client.Ok($"durable-open {durable} held across the move");
        try
        {
            // pcs waits for the cluster to settle before it returns: the client watches meanwhile.
            var movedAt = TcpPeers.MonotonicNs();
            var pcs = _box.StartInNode(1, "pcs", "resource", "move", "g-vip1", $"n{to}");
            var (drop, droppedAt) = client.Do("wait-drop 30", 40_000);
            Assert.True(drop is "OK closed" or "OK reset", $"the connection to {Vip1} was not dropped: {drop}");
            var backAt = client.Reconnect(Vip1, TimeSpan.FromSeconds(60));
            Assert.True(pcs.WaitForExit(60_000) && pcs.ExitCode == 0, $"pcs resource move: exit {(pcs.HasExited ? pcs.ExitCode : -1)}");
            Assert.Equal([to], _box.NodesWithAddress(Vip1));
            Assert.Equal(leader, Promoted(_box, 1));
            // The client reconnected the instant smbd dropped it: the old node, taking nothing
            // new for the address from before RELEASE_IP on, must not have accepted it only to
            // reset it, so the one reconnect holds.
            var (readBack, _) = client.Do($"read {written}", 60_000);
            Assert.Equal("OK acknowledged before the move", readBack);
            Assert.Equal("held across the move", client.Ok($"durable-reclaim {durable}"));
            Assert.True(SambaLogContains(from, $"Got release IP message for our IP {Vip1}"),
                $"smbd on n{from} never got the RELEASE_IP message for {Vip1}");
            _output.WriteLine($"planned move n{from} -> n{to}: connection {drop[3..]} after {Ms(movedAt, droppedAt)} ms, " +
                $"session back after {Ms(movedAt, backAt)} ms, data and durable handle kept");
        }
        finally
        {
            _box.Exec(1, "pcs", "resource", "clear", "g-vip1");
        }
    }

    /// <summary>
    /// Power loss of the node holding VIP 1: the client holding an SMB session there gets a RST
    /// (tickle ACKs from the node taking the address over, from the daemon's replicated list), not
    /// a timeout, reconnects and reads back what it wrote. The node is not the leader, so no
    /// promotion follows: the survivors learn of the loss from Corosync (the daemon's membership
    /// group) and recover well before their keepalives would give up on the node (25 s), and
    /// smbd on the survivors never stalls long enough for its monitor to fail.
    /// </summary>
    [Fact]
    public void PowerLossResetsTheSmbClientWhichReconnectsAndReadsItsData()
    {
        var leader = Promoted(_box, 1);
        var holder = CrmMon.NodeNumber(CrmMon.Where(_box.CrmMon(1), "vip1").Single());
        var node = holder != leader ? holder : new[] { 1, 2, 3 }.First(n => n != leader);
        if (holder != node)
        {
            _box.ExecOk(1, "crm_resource", "--move", "-r", "g-vip1", "-N", $"n{node}");
            Wait.Until(() => _box.NodesWithAddress(Vip1) is [var n] && n == node && CrmMon.Where(_box.CrmMon(1), "vip1-unblock") is [var u] && u == $"n{node}",
                s_failover, () => _box.CrmMon(1).ToString());
            _box.ExecOk(1, "crm_resource", "--clear", "-r", "g-vip1");
        }
        int[] survivors = [.. new[] { 1, 2, 3 }.Where(n => n != node)];
        var survivor = survivors[0];
        var name = Unique("power");
        var client = SmbClient.Start(_box);
        client.Ok($"connect {Vip1} 10");
        client.Ok($"write {name} written before the power loss");
        // smbd registered the connection (TCP_CLIENT); the survivors have it in their copy of the list.
        Wait.Until(() => _box.Exec(survivor, "ctdb", "gettickles", Vip1).Stdout.Contains(ClientIp, StringComparison.Ordinal),
            TimeSpan.FromSeconds(5), () => _box.Exec(survivor, "ctdb", "gettickles", Vip1).ToString());

        var killedAt = TcpPeers.MonotonicNs();
        _box.Kill(node);
        try
        {
            var (drop, droppedAt) = client.Do("wait-drop 60", 70_000);
            Assert.Equal("OK reset", drop);
            var backAt = client.Reconnect(Vip1, TimeSpan.FromSeconds(60));
            client.Ok("timeout 30");
            var (read, readAt) = client.Do($"read {name}", 40_000);
            Assert.Equal("OK written before the power loss", read);
            Wait.Until(() => Recovered(survivors, node), s_failover,
                () => string.Join("\n", survivors.Select(s => $"n{s}: {Ctdb(_box, s)}")));
            var recoveredAt = TcpPeers.MonotonicNs();
            Assert.True(recoveredAt - killedAt < 15_000_000_000L,
                $"the survivors recovered {Ms(killedAt, recoveredAt)} ms after the power loss: the loss was found by keepalives, not by Corosync");
            Assert.Contains(survivors, n => DaemonLogContains(n, $"corosync reported node {node} down"));
            var failures = _box.CrmMon(leader).Descendants("failure").Select(f => (string?)f.Attribute("op_key") ?? "").ToList();
            Assert.DoesNotContain(failures, f => f.StartsWith("samba_", StringComparison.Ordinal));
            _output.WriteLine($"power loss of n{node}: reset after {Ms(killedAt, droppedAt)} ms, session back after " +
                $"{Ms(killedAt, backAt)} ms, data read back after {Ms(killedAt, readAt)} ms, survivors recovered by {Ms(killedAt, recoveredAt)} ms");
        }
        finally
        {
            Restore(_box);
        }
    }

    [Fact]
    public void KilledSmbdIsReportedAndRestartedByPacemaker() => BreakSmbd("KILL");

    [Fact]
    public void StoppedSmbdIsReportedWithinTheMonitorTimeoutAndRestarted() => BreakSmbd("STOP");

    /// <summary>
    /// Signals smbd's main process on one node; the samba monitor must report the failure (a
    /// SIGSTOPped smbd within the monitor's timeout of 20 s after its next run) and Pacemaker
    /// must start a new smbd there.
    /// </summary>
    private void BreakSmbd(string signal)
    {
        var node = 3;
        var pid = SmbdPid(node);
        _box.ExecOk(node, "kill", $"-{signal}", pid.ToString(CultureInfo.InvariantCulture));
        try
        {
            var failed = Wait.Until(() => MonitorFailures(node).Count > 0, TimeSpan.FromSeconds(5 + 20 + 10),
                () => _box.CrmMon(1).ToString());
            var restarted = Wait.Until(() => SmbdPid(node) is var p && p > 0 && p != pid && CrmMon.Where(_box.CrmMon(1), "samba").Contains($"n{node}"),
                TimeSpan.FromSeconds(60), () => _box.CrmMon(1).ToString());
            Assert.Contains("Sharename", _box.Ok("client", "smbclient", "-N", "-L", $"//192.168.78.1{node}"), StringComparison.Ordinal);
            _output.WriteLine($"smbd on n{node} after SIG{signal}: failure reported after {failed.TotalMilliseconds:F0} ms " +
                $"({string.Join("; ", MonitorFailures(node))}), new smbd {SmbdPid(node)} serving {restarted.TotalMilliseconds:F0} ms later");
        }
        finally
        {
            _box.Exec(node, "kill", "-CONT", pid.ToString(CultureInfo.InvariantCulture));
            _box.Exec(1, "pcs", "resource", "cleanup", "samba");
        }
    }

    /// <summary>smbd's main process on node N, from its own pid file (0 when there is none).</summary>
    private int SmbdPid(int node)
    {
        var r = _box.Exec(node, "cat", "/run/samba/smbd.pid");
        return r.Code == 0 && int.TryParse(r.Stdout.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0;
    }

    /// <summary>The failed samba monitor operations Pacemaker recorded for node N.</summary>
    private List<string> MonitorFailures(int node) =>
        [.. _box.CrmMon(1).Descendants("failure")
            .Where(f => ((string?)f.Attribute("op_key") ?? "").StartsWith("samba_monitor", StringComparison.Ordinal) &&
                (string?)f.Attribute("node") == $"n{node}")
            .Select(f => $"{(string?)f.Attribute("op_key")} exit {(string?)f.Attribute("exitstatus")}: {(string?)f.Attribute("exitreason")}")];

    private bool DaemonLogContains(int node, string text)
    {
        var log = Path.Combine(_box.Dir, $"n{node}", "log", "ctdb", "log.ctdb");
        return File.Exists(log) && File.ReadAllText(log).Contains(text, StringComparison.Ordinal);
    }

    private bool SambaLogContains(int node, string text)
    {
        var dir = Path.Combine(_box.Dir, $"n{node}", "log", "samba");
        return Directory.Exists(dir) && Directory.EnumerateFiles(dir).Any(f => File.ReadAllText(f).Contains(text, StringComparison.Ordinal));
    }

    private string Smbclient(string address, string commands) =>
        _box.Ok("client", "smbclient", "-N", $"//{address}/share", "-c", commands);

    private static string Unique(string what) =>
        $"{what}-{Environment.ProcessId}-{DateTime.UtcNow:HHmmssfff}.txt";

    private static string Ms(long fromNs, long toNs) => ((toNs - fromNs) / 1_000_000).ToString(CultureInfo.InvariantCulture);
}
