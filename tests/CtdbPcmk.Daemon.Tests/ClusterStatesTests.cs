// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text.RegularExpressions;

namespace CtdbPcmk.Daemon.Tests;

/// <summary>
/// Three ctdb-pcmkd nodes under tests/local-daemons, driven by the real ctdb tool: leadership,
/// persistent commits, node states, and losing a non-leader and then the leader.
/// </summary>
public sealed partial class ClusterStatesTests
{
    [GeneratedRegex(@"^Generation:(\d+)$", RegexOptions.Multiline)]
    private static partial Regex GenerationLine();

    [GeneratedRegex(@"^Size:(\d+)$", RegexOptions.Multiline)]
    private static partial Regex SizeLine();

    private static string Status(LocalCluster c, int pnn) => c.Ok("ctdb", pnn.ToString(System.Globalization.CultureInfo.InvariantCulture), "status");

    private static string NodeLine(string status, int pnn) =>
        status.Split('\n').First(l => l.StartsWith($"pnn:{pnn} ", StringComparison.Ordinal));

    /// <summary>Waits until node <paramref name="pnn"/>'s `ctdb status` line for <paramref name="about"/> shows <paramref name="state"/>.</summary>
    private static string WaitState(LocalCluster c, int pnn, int about, string state)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string status = "";
        while (DateTime.UtcNow < deadline)
        {
            status = Status(c, pnn);
            if (Regex.IsMatch(NodeLine(status, about), $@"[\s|]{state}([\s|]|$)") && status.Contains("Recovery mode:NORMAL (0)", StringComparison.Ordinal))
            {
                return status;
            }
            Thread.Sleep(100);
        }
        throw new Xunit.Sdk.XunitException($"node {about} did not show {state} on node {pnn}: {status}");
    }

    [Fact]
    public void Three_nodes_with_a_leader_share_commits_and_show_node_states()
    {
        using var c = LocalCluster.Create();
        c.Ok("setup", "3");
        c.Ok("start", "all");
        Assert.Equal("0\n", c.Ok("leader", "0"));
        var generations = new HashSet<string>();
        foreach (int pnn in new[] { 0, 1, 2 })
        {
            string status = LocalDaemonsTests.WaitAllOk(c, pnn, 3);
            generations.Add(GenerationLine().Match(status).Groups[1].Value);
            Assert.Equal("3", SizeLine().Match(status).Groups[1].Value);
            Assert.Contains("Leader:0", status, StringComparison.Ordinal);
        }
        Assert.Single(generations);

        c.Ok("ctdb", "0", "attach", "states.tdb", "persistent");
        c.Ok("ctdb", "0", "pstore", "states.tdb", "key1", "value1");
        foreach (string pnn in new[] { "0", "1", "2" })
        {
            Assert.Equal("value1", c.Ok("ctdb", pnn, "pfetch", "states.tdb", "key1").TrimEnd('\n'));
        }

        c.Ok("ctdb", "1", "disable");
        WaitState(c, 0, 1, "DISABLED");
        c.Ok("ctdb", "1", "enable");
        WaitState(c, 0, 1, "OK");

        c.Ok("ctdb", "2", "stop");
        var stopped = WaitState(c, 0, 2, "STOPPED");
        Assert.Equal("2", SizeLine().Match(WaitSize(c, 0, 2)).Groups[1].Value);
        Assert.Contains("STOPPED", stopped, StringComparison.Ordinal);
        c.Ok("ctdb", "2", "continue");
        WaitState(c, 0, 2, "OK");
        WaitSize(c, 0, 3);

        c.Ok("ctdb", "1", "ban", "300");
        WaitState(c, 2, 1, "BANNED");
        WaitSize(c, 0, 2);
        c.Ok("ctdb", "1", "unban");
        WaitState(c, 2, 1, "OK");
        WaitSize(c, 0, 3);

        // Losing a non-leader, then the leader (a new leader is set at once).
        c.Ok("kill", "2");
        WaitState(c, 0, 2, "DISCONNECTED");
        c.Ok("ctdb", "1", "pstore", "states.tdb", "key2", "value2");
        c.Ok("kill", "0");
        Assert.Equal("1\n", c.Ok("leader", "1"));
        var after = WaitState(c, 1, 0, "DISCONNECTED");
        Assert.Contains("Leader:1", after, StringComparison.Ordinal);
        Assert.Equal("value1", c.Ok("ctdb", "1", "pfetch", "states.tdb", "key1").TrimEnd('\n'));
        Assert.Equal("value2", c.Ok("ctdb", "1", "pfetch", "states.tdb", "key2").TrimEnd('\n'));

        // The killed nodes come back and get every commit they missed.
        c.Ok("start", "0");
        c.Ok("start", "2");
        Assert.Equal("1\n", c.Ok("leader", "1"));
        foreach (string pnn in new[] { "0", "2" })
        {
            Assert.Equal("value2", c.Ok("ctdb", pnn, "pfetch", "states.tdb", "key2").TrimEnd('\n'));
        }
        c.Ok("teardown");
    }

    private static string WaitSize(LocalCluster c, int pnn, int size)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string status = "";
        while (DateTime.UtcNow < deadline)
        {
            status = Status(c, pnn);
            if (SizeLine().Match(status).Groups[1].Value == size.ToString(System.Globalization.CultureInfo.InvariantCulture)
                && status.Contains("Recovery mode:NORMAL (0)", StringComparison.Ordinal))
            {
                return status;
            }
            Thread.Sleep(100);
        }
        throw new Xunit.Sdk.XunitException($"vnn map of node {pnn} did not reach {size} nodes: {status}");
    }
}
