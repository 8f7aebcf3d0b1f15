// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Portblock.Tests;

/// <summary>Connection records on monitor and reset_local_on_unblock_stop, with real TCP peers in namespaces.</summary>
public sealed class ConnectionTests : IDisposable
{
    private readonly Netns _server = Netns.Create("srv");
    private readonly Netns _clients = Netns.Create("cli");
    private readonly string _state = Directory.CreateTempSubdirectory("pbt-state").FullName;
    private readonly string _tickle = Directory.CreateTempSubdirectory("pbt-tickle").FullName;

    public ConnectionTests()
    {
        Netns.Link(_server, "s0", _clients, "c0");
        _server.Ok("ip", "addr", "add", "192.0.2.50/24", "dev", "s0");
        _server.Ok("ip", "addr", "add", "fd00::50/64", "dev", "s0", "nodad");
        _clients.Ok("ip", "addr", "add", "192.0.2.10/24", "dev", "c0");
        _clients.Ok("ip", "addr", "add", "fd00::10/64", "dev", "c0", "nodad");
    }

    public void Dispose()
    {
        _clients.Dispose();
        _server.Dispose();
        Directory.Delete(_state, recursive: true);
        Directory.Delete(_tickle, recursive: true);
    }

    private AgentProcess Unblock(string ip, bool resetLocal) => new(
        "pb-" + ip.Replace(':', '_'), _state, ("protocol", "tcp"), ("portno", "445"), ("action", "unblock"), ("ip", ip),
        ("tickle_dir", _tickle), ("reset_local_on_unblock_stop", resetLocal ? "true" : "false"));

    [Fact]
    public void MonitorRecordsIPv4AndIPv6ConnectionsOfItsAddress()
    {
        // One dual-stack listener: the IPv4 connection arrives on an IPv6 socket as ::ffff:192.0.2.50.
        TcpPeers.StartServer(_server, "::", 445);
        var (_, v4Port) = TcpPeers.Connect(_clients, "192.0.2.50", 445);
        var (_, v6Port) = TcpPeers.Connect(_clients, "fd00::50", 445);
        var v4 = Unblock("192.0.2.50", false);
        var v6 = Unblock("fd00::50", false);
        Assert.Equal(0, v4.Run(_server, "start").Code);
        Assert.Equal(0, v6.Run(_server, "start").Code);

        Assert.Equal(0, v4.Run(_server, "monitor").Code);
        Assert.Equal(0, v6.Run(_server, "monitor").Code);
        Assert.Equal($"192.0.2.50:445\t192.0.2.10:{v4Port}\n", File.ReadAllText(Path.Combine(_tickle, "192.0.2.50")));
        Assert.Equal($"[fd00::50]:445\t[fd00::10]:{v6Port}\n", File.ReadAllText(Path.Combine(_tickle, "fd00::50")));

        // Stop records again before blocking, then the list survives for the next owner.
        Assert.Equal(0, v4.Run(_server, "stop").Code);
        Assert.Equal($"192.0.2.50:445\t192.0.2.10:{v4Port}\n", File.ReadAllText(Path.Combine(_tickle, "192.0.2.50")));
        Assert.Equal(0, v6.Run(_server, "stop").Code);
    }

    [Fact]
    public void ResetLocalOnUnblockStopResetsOnlyTheBlockedAddressAndPorts()
    {
        TcpPeers.StartServer(_server, "::", 445);
        TcpPeers.StartServer(_server, "192.0.2.50", 446);
        var (v4Client, _) = TcpPeers.Connect(_clients, "192.0.2.50", 445);
        var (v6Client, _) = TcpPeers.Connect(_clients, "fd00::50", 445);
        var (otherPortClient, _) = TcpPeers.Connect(_clients, "192.0.2.50", 446);
        var agent = Unblock("192.0.2.50", true);
        Assert.Equal(0, agent.Run(_server, "start").Code);

        var stop = agent.Run(_server, "stop");
        Assert.True(stop.Code == 0, stop.ToString());
        Assert.Equal("reset", TcpPeers.Outcome(v4Client, 5000).Outcome);
        Assert.Contains("reset 1 local connection", stop.Stderr);
        var established = _server.Ok("ss", "-Htn", "state", "established").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2]).ToList();
        Assert.DoesNotContain(established, local => local.EndsWith("192.0.2.50]:445", StringComparison.Ordinal) || local == "192.0.2.50:445");
        Assert.Contains(established, local => local.EndsWith("192.0.2.50:446", StringComparison.Ordinal));
        Assert.Equal(7, agent.Run(_server, "monitor").Code);

        // The IPv6 address and the other port keep their connections.
        Assert.Null(TcpPeers.ReadLine(v6Client, 300));
        Assert.Null(TcpPeers.ReadLine(otherPortClient, 300));
    }
}
