// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;

namespace CtdbPcmk.Daemon.Tests;

/// <summary>tests/local-daemons with the real ctdbd 4.17, and the checks that need no daemon.</summary>
public sealed class LocalDaemonsTests
{
    private static readonly TimeSpan s_settle = TimeSpan.FromSeconds(90);

    /// <summary>Polls <c>ctdb status</c> on a node until every node shows OK and recovery is done.</summary>
    internal static string WaitAllOk(LocalCluster c, int pnn, int count)
    {
        var sw = Stopwatch.StartNew();
        var last = "";
        while (sw.Elapsed < s_settle)
        {
            var r = c.Harness("ctdb", pnn.ToString(System.Globalization.CultureInfo.InvariantCulture), "status");
            last = r.ToString();
            var lines = r.Stdout.Split('\n');
            var ok = Enumerable.Range(0, count).All(i =>
                lines.Any(l => l.StartsWith($"pnn:{i} 127.0.0.{i + 1} ", StringComparison.Ordinal) &&
                               l.Contains(" OK", StringComparison.Ordinal)));
            if (r.Code == 0 && ok && r.Stdout.Contains("Recovery mode:NORMAL (0)", StringComparison.Ordinal))
                return r.Stdout;
            Thread.Sleep(500);
        }
        throw new Xunit.Sdk.XunitException($"cluster did not reach all OK within {s_settle}: {last}");
    }

    internal static void AssertGone(IEnumerable<(int Pid, long Start)> processes)
    {
        var left = processes.Where(LocalCluster.IsRunning).Select(p => p.Pid).ToList();
        Assert.True(left.Count == 0, "still running: " + string.Join(' ', left));
    }

    internal static void AssertTornDown(LocalCluster c, string ns, IReadOnlyList<(int Pid, long Start)> processes)
    {
        c.Ok("teardown");
        Assert.False(LocalCluster.NamespaceExists(ns), $"namespace {ns} still exists");
        AssertGone(processes);
        Assert.True(Directory.Exists(c.Directory), "teardown must keep DIR");
        Assert.False(File.Exists(Path.Combine(c.Directory, "impl")));
    }

    [Fact]
    public void Real_ctdbd_single_node()
    {
        using var c = LocalCluster.Create();
        Assert.Contains("1 node(s), impl ctdb", c.Ok("setup", "1", "--impl", "ctdb"), StringComparison.Ordinal);
        var ns = c.Namespace;
        Assert.Matches("^cpk-[0-9a-f]{8}$", ns);
        Assert.True(LocalCluster.NamespaceExists(ns));
        c.Ok("start", "all");
        var socket = c.Ok("socket", "0").Trim();
        Assert.Equal(Path.Combine(c.Directory, "node.0/run/ctdbd.socket"), socket);
        var status = WaitAllOk(c, 0, 1);
        Assert.Contains("pnn:0 127.0.0.1        OK (THIS NODE)", status, StringComparison.Ordinal);
        Assert.Equal("127.0.0.1\n", c.Ok("ctdb", "0", "listnodes"));
        Assert.Equal("0\n", c.Ok("leader", "0"));
        var pid = int.Parse(c.Ok("pid", "0").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"{pid}\n", File.ReadAllText(Path.Combine(c.Directory, "node.0/run/ctdbd.pid")));
        Assert.Contains($"node 0 127.0.0.1 running pid {pid}", c.Ok("status"), StringComparison.Ordinal);

        var processes = c.RecordedProcesses();
        Assert.True(processes.Count >= 3, "expected ctdbd, its helpers and the stdin holder");
        c.Ok("stop", "all");
        AssertGone(processes);
        Assert.Contains("node 0 127.0.0.1 stopped", c.Ok("status"), StringComparison.Ordinal);
        Assert.NotEqual(0, c.Harness("pid", "0").Code);
        AssertTornDown(c, ns, processes);
    }

    [Fact]
    public void Real_ctdbd_three_nodes_kill_and_restart()
    {
        using var c = LocalCluster.Create();
        c.Ok("setup", "3", "--impl", "ctdb");
        var ns = c.Namespace;
        c.Ok("start", "all");
        WaitAllOk(c, 0, 3);
        Assert.Equal("2\n", c.Ok("ctdb", "2", "pnn"));
        Assert.Equal("127.0.0.1\n127.0.0.2\n127.0.0.3\n", c.Ok("ctdb", "1", "listnodes"));
        var processes = c.RecordedProcesses().ToList();

        var victim = int.Parse(c.Ok("pid", "1").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        c.Ok("kill", "1");
        Assert.Null(LocalCluster.StartTime(victim));
        Assert.Contains("node 1 127.0.0.2 stopped", c.Ok("status"), StringComparison.Ordinal);
        var sw = Stopwatch.StartNew();
        while (!c.Ok("ctdb", "0", "status").Contains("pnn:1 127.0.0.2        DISCONNECTED", StringComparison.Ordinal))
        {
            Assert.True(sw.Elapsed < s_settle, "node 0 never saw node 1 disconnect");
            Thread.Sleep(200);
        }

        c.Ok("start", "1");
        processes.AddRange(c.RecordedProcesses());
        WaitAllOk(c, 2, 3);
        c.Ok("stop", "all");
        AssertGone(processes);
        AssertTornDown(c, ns, processes);
    }

    [Fact]
    public void Setup_validates_and_refuses_to_overwrite_a_cluster()
    {
        using var c = LocalCluster.Create();
        var r = c.Harness("setup", "0");
        Assert.Equal(1, r.Code);
        Assert.Contains("N must be 1-254", r.Stderr, StringComparison.Ordinal);
        r = c.Harness("setup", "2", "--impl", "samba");
        Assert.Equal(1, r.Code);
        Assert.Contains("--impl must be ours or ctdb", r.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, c.Harness("start", "all").Code);

        c.Ok("setup", "2");
        r = c.Harness("setup", "2", "--impl", "ctdb");
        Assert.Equal(1, r.Code);
        Assert.Contains("holds a cluster (ours); run: local-daemons", r.Stderr, StringComparison.Ordinal);
        Assert.Equal("ours\n", File.ReadAllText(Path.Combine(c.Directory, "impl")));

        r = c.Harness("leader", "1");
        Assert.Equal(1, r.Code);
        Assert.Contains("node 1 is not running", r.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, c.Harness("socket", "2").Code);
        Assert.Equal(1, c.Harness("pid", "0").Code);

        var ns = c.Namespace;
        c.Ok("teardown");
        Assert.False(LocalCluster.NamespaceExists(ns));
        // A torn-down directory can be set up again, here for the other implementation.
        c.Ok("setup", "1", "--impl", "ctdb");
        Assert.Equal(ns, c.Namespace);
        Assert.Equal("127.0.0.1\n", File.ReadAllText(Path.Combine(c.Directory, "nodes")));
        Assert.False(Directory.Exists(Path.Combine(c.Directory, "node.1")));
    }
}
