// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Globalization;

namespace CtdbPcmk.Daemon.Tests;

/// <summary>tests/local-daemons running several ctdb-pcmkd nodes, driven by the real ctdb tool.</summary>
public sealed class LocalDaemonsOursClusterTests
{
    /// <summary>Node → DISCONNECTED as <paramref name="observer"/> sees it (ctdb -X nodestatus all).</summary>
    private static Dictionary<int, bool> Disconnected(LocalCluster c, int observer)
    {
        var r = c.Harness("ctdb", observer.ToString(CultureInfo.InvariantCulture), "-X", "nodestatus", "all");
        var seen = new Dictionary<int, bool>();
        foreach (var line in r.Stdout.Split('\n'))
        {
            var f = line.Split('|');
            if (f.Length > 4 && int.TryParse(f[1], CultureInfo.InvariantCulture, out int pnn))
                seen[pnn] = f[3] != "0";
        }
        return seen;
    }

    private static void WaitUntil(Func<bool> condition, TimeSpan within, string what)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(sw.Elapsed < within, $"{what} within {within}");
            Thread.Sleep(100);
        }
    }

    [Fact]
    public void Ours_three_nodes_connect_forward_controls_and_drop_a_stopped_node_until_it_continues()
    {
        using var c = LocalCluster.Create();
        c.Ok("setup", "3");
        // start all returns once the nodes are connected to each other.
        c.Ok("start", "all");
        for (int pnn = 0; pnn < 3; pnn++)
        {
            var seen = Disconnected(c, pnn);
            Assert.Equal(3, seen.Count);
            Assert.All(seen.Values, Assert.False);
        }
        Assert.Equal("127.0.0.1\n127.0.0.2\n127.0.0.3\n", c.Ok("ctdb", "0", "listnodes"));
        Assert.StartsWith("response from 1 ", c.Ok("ctdb", "0", "-n", "1", "ping"), StringComparison.Ordinal);
        Assert.StartsWith("response from 2 ", c.Ok("ctdb", "0", "-n", "2", "ping"), StringComparison.Ordinal);
        Assert.Equal("pnn:1 127.0.0.2        OK (THIS NODE)\n", c.Ok("ctdb", "2", "-n", "1", "nodestatus"));

        // Set through node 0, the tunables change on node 2 only.
        c.Ok("ctdb", "0", "-n", "2", "setvar", "KeepaliveInterval", "1");
        Assert.Equal("KeepaliveInterval          = 1\n", c.Ok("ctdb", "2", "getvar", "KeepaliveInterval"));
        Assert.Equal("KeepaliveInterval          = 5\n", c.Ok("ctdb", "1", "getvar", "KeepaliveInterval"));
        for (int pnn = 0; pnn < 3; pnn++)
        {
            var n = pnn.ToString(CultureInfo.InvariantCulture);
            c.Ok("ctdb", "0", "-n", n, "setvar", "KeepaliveInterval", "1");
            c.Ok("ctdb", "0", "-n", n, "setvar", "KeepaliveLimit", "2");
        }

        var pid = c.Ok("pid", "2").Trim();
        Assert.Equal(0, Sh.Run(["kill", "-STOP", pid]).Code);
        try
        {
            // Dead at most KeepaliveLimit × KeepaliveInterval (2 s) after its last packet; the
            // slack is for running the ctdb tool to look.
            var sw = Stopwatch.StartNew();
            WaitUntil(() => Disconnected(c, 0).GetValueOrDefault(2) && Disconnected(c, 1).GetValueOrDefault(2),
                TimeSpan.FromSeconds(1 * 2 + 0.8), "nodes 0 and 1 mark the stopped node 2 DISCONNECTED");
            Assert.True(sw.Elapsed >= TimeSpan.FromSeconds(0.9), $"node 2 dropped after only {sw.Elapsed}");
            // The survivors keep answering, to the tool and to each other.
            Assert.StartsWith("response from 1 ", c.Ok("ctdb", "0", "-n", "1", "ping"), StringComparison.Ordinal);
            Assert.StartsWith("response from 0 ", c.Ok("ctdb", "1", "-n", "0", "ping"), StringComparison.Ordinal);
            Assert.False(Disconnected(c, 0)[1]);
            Assert.NotEqual(0, c.Harness("ctdb", "0", "-n", "2", "ping").Code);
        }
        finally
        {
            Sh.Run(["kill", "-CONT", pid]);
        }
        WaitUntil(() => Enumerable.Range(0, 3).All(p => Disconnected(c, p).Values.Count(d => !d) == 3),
            TimeSpan.FromSeconds(5), "node 2 reconnects after SIGCONT");
        Assert.StartsWith("response from 0 ", c.Ok("ctdb", "2", "-n", "0", "ping"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_recheck_drops_a_hung_node_at_once_and_the_leader_recovers_without_it()
    {
        using var c = LocalCluster.Create();
        c.Ok("setup", "3");
        c.Ok("start", "all");
        c.Ok("leader", "0");
        c.Ok("ctdb", "0", "attach", "probe.tdb");
        var pid = c.Ok("pid", "2").Trim();
        // Hung, its links open: on keepalives alone (5 s × 5) it would stay connected for 25 s.
        Assert.Equal(0, Sh.Run(["kill", "-STOP", pid]).Code);
        try
        {
            var sw = Stopwatch.StartNew();
            // What the ctdbd agent's notify does on every node when Pacemaker sees a node go.
            foreach (var pnn in new[] { "0", "1" })
            {
                using var client = CtdbPcmk.Client.CtdbClient.Connect(c.Ok("socket", pnn).Trim());
                client.Recheck();
            }
            WaitUntil(() => Disconnected(c, 0).GetValueOrDefault(2) && Disconnected(c, 1).GetValueOrDefault(2),
                TimeSpan.FromSeconds(4), "nodes 0 and 1 drop the hung node 2 after the recheck");
            WaitUntil(() => c.Harness("ctdb", "0", "status").Stdout is var st &&
                    st.Contains("Size:2\n", StringComparison.Ordinal) && st.Contains("Recovery mode:NORMAL", StringComparison.Ordinal),
                TimeSpan.FromSeconds(6), "the leader recovers nodes 0 and 1");
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"recovered {sw.Elapsed} after the recheck");
            c.Ok("ctdb", "1", "writekey", "probe.tdb", "k", "v1");
            Assert.Contains("v1", c.Ok("ctdb", "0", "readkey", "probe.tdb", "k"), StringComparison.Ordinal);
        }
        finally
        {
            Sh.Run(["kill", "-CONT", pid]);
        }
        WaitUntil(() => Enumerable.Range(0, 3).All(p => Disconnected(c, p).Values.Count(d => !d) == 3),
            TimeSpan.FromSeconds(10), "node 2 reconnects after SIGCONT");
    }

    [Fact]
    public void Taking_the_leader_role_again_keeps_the_term_and_generation_and_a_new_take_after_release_does_not()
    {
        using var c = LocalCluster.Create();
        c.Ok("setup", "3");
        c.Ok("start", "all");
        c.Ok("leader", "0");
        using var client = CtdbPcmk.Client.CtdbClient.Connect(c.Ok("socket", "0").Trim());
        var before = client.GetLeaderState();
        Assert.Equal(0u, before.Leader);

        // Pacemaker may promote a promoted instance again: nothing changes.
        client.SetLeaderRole(true);
        Thread.Sleep(500);
        var again = client.GetLeaderState();
        Assert.Equal((before.Term, before.Generation, 0u), (again.Term, again.Generation, again.Leader));

        // Demote then promote is a new term and a new recovery.
        client.SetLeaderRole(false);
        c.Ok("leader", "0");
        var after = client.GetLeaderState();
        Assert.True(after.Term > before.Term, $"term {after.Term} after {before.Term}");
        Assert.NotEqual(before.Generation, after.Generation);
    }
}
