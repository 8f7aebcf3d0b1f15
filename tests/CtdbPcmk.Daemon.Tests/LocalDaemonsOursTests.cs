// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net.Sockets;

namespace CtdbPcmk.Daemon.Tests;

/// <summary>tests/local-daemons running ctdb-pcmkd.</summary>
public sealed class LocalDaemonsOursTests
{
    [Fact]
    public void Ours_single_node_accepts_connections_and_stops()
    {
        using var c = LocalCluster.Create();
        c.Ok("setup", "1");
        Assert.Equal("ours\n", File.ReadAllText(Path.Combine(c.Directory, "impl")));
        var ns = c.Namespace;
        c.Ok("start", "0");
        var pid = int.Parse(c.Ok("pid", "0").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"{pid}\n", File.ReadAllText(Path.Combine(c.Directory, "node.0/run/ctdbd.pid")));
        // The daemon runs inside the cluster's namespace, not ours.
        Assert.NotEqual(
            new FileInfo("/proc/self/ns/net").ResolveLinkTarget(false)!.ToString(),
            new FileInfo($"/proc/{pid}/ns/net").ResolveLinkTarget(false)!.ToString());

        using (var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
            s.Connect(new UnixDomainSocketEndPoint(c.Ok("socket", "0").Trim()));
        Assert.Equal("127.0.0.1\n", c.Ok("ctdb", "0", "listnodes"));
        // The real ctdb tool talks to the daemon through the socket the harness reports.
        Assert.Equal("0\n", c.Ok("ctdb", "0", "pnn"));
        LocalDaemonsTests.WaitAllOk(c, 0, 1);
        Assert.Equal("0\n", c.Ok("leader", "0"));
        Assert.Contains("node 0 127.0.0.1 running", c.Ok("status"), StringComparison.Ordinal);

        var processes = c.RecordedProcesses();
        c.Ok("stop", "0");
        LocalDaemonsTests.AssertGone(processes);
        Assert.False(File.Exists(Path.Combine(c.Directory, "node.0/run/ctdbd.pid")), "daemon left its pid file");
        Assert.Contains("Starting ctdb-pcmkd", File.ReadAllText(Path.Combine(c.Directory, "node.0/log")), StringComparison.Ordinal);
        LocalDaemonsTests.AssertTornDown(c, ns, processes);
    }
}
