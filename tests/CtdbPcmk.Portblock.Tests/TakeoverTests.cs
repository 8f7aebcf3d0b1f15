// SPDX-License-Identifier: GPL-3.0-or-later
using Xunit.Abstractions;

namespace CtdbPcmk.Portblock.Tests;

/// <summary>
/// End to end: nodes A and B and a client namespace C joined by a bridge in C. A real TCP client
/// in C is connected to a server on A through the VIP; A's unblock instance records the
/// connection in the shared tickle_dir. The VIP moves to B (removed from A without closing the
/// server socket, as with a failed node; added on B, with the client's neighbour entry renewed as
/// a gratuitous ARP would). B's block instance starts, then B's unblock instance: it must tickle
/// the client, whose stack answers B, which resets the connection. The client's connection is
/// idle, so nothing but the tickle can end it within the test's window; the bound below only
/// separates "reset by the unblock" from "reset by a retransmission or keepalive" and leaves room
/// for a loaded host (IPv6 neighbour discovery after the flush, two CPUs shared with other
/// tests). How fast the reset comes is measured by the failover benchmark, not here.
/// </summary>
public sealed class TakeoverTests : IDisposable
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(2);
    private readonly ITestOutputHelper _output;
    private readonly Netns _c = Netns.Create("C");
    private readonly Netns _a = Netns.Create("A");
    private readonly Netns _b = Netns.Create("B");
    private readonly string _stateA = Directory.CreateTempSubdirectory("pbt-stateA").FullName;
    private readonly string _stateB = Directory.CreateTempSubdirectory("pbt-stateB").FullName;
    private readonly string _tickle = Directory.CreateTempSubdirectory("pbt-tickle").FullName;

    public TakeoverTests(ITestOutputHelper output)
    {
        _output = output;
        _c.Ok("ip", "link", "add", "br0", "type", "bridge");
        _c.Ok("ip", "link", "set", "br0", "up");
        Netns.Link(_a, "a0", _c, "ca");
        Netns.Link(_b, "b0", _c, "cb");
        _c.Ok("ip", "link", "set", "ca", "master", "br0");
        _c.Ok("ip", "link", "set", "cb", "master", "br0");
        _c.Ok("ip", "addr", "add", "192.0.2.10/24", "dev", "br0");
        _c.Ok("ip", "addr", "add", "fd00::10/64", "dev", "br0", "nodad");
        _a.Ok("ip", "addr", "add", "192.0.2.1/24", "dev", "a0");
        _a.Ok("ip", "addr", "add", "fd00::1/64", "dev", "a0", "nodad");
        _b.Ok("ip", "addr", "add", "192.0.2.2/24", "dev", "b0");
        _b.Ok("ip", "addr", "add", "fd00::2/64", "dev", "b0", "nodad");
    }

    public void Dispose()
    {
        _c.Dispose();
        _a.Dispose();
        _b.Dispose();
        foreach (var dir in new[] { _stateA, _stateB, _tickle })
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("192.0.2.50", "24")]
    [InlineData("fd00::50", "64")]
    public void ClientIsResetByTheUnblockOnTheNewNode(string vip, string prefix)
    {
        (string, string)[] common = [("protocol", "tcp"), ("portno", "445"), ("ip", vip)];
        AgentProcess Unblock(string state) => new("vip-unblock", state, [.. common, ("action", "unblock"), ("tickle_dir", _tickle)]);
        var blockB = new AgentProcess("vip-block", _stateB, [.. common, ("action", "block")]);

        // Node A serves the VIP; its unblock instance records the client's connection on monitor.
        _a.Ok("ip", "addr", "add", $"{vip}/{prefix}", "dev", "a0", "nodad");
        TcpPeers.StartServer(_a, vip, 445);
        var (client, clientPort) = TcpPeers.Connect(_c, vip, 445);
        Assert.Equal(0, Unblock(_stateA).Run(_a, "start").Code);
        Assert.Equal(0, Unblock(_stateA).Run(_a, "monitor").Code);
        Assert.Contains($":{clientPort}", File.ReadAllText(Path.Combine(_tickle, vip)));

        // A fails: the address is gone, the server socket lingers. B takes over.
        _a.Ok("ip", "addr", "del", $"{vip}/{prefix}", "dev", "a0");
        Assert.Equal(0, blockB.Run(_b, "start").Code);
        _b.Ok("ip", "addr", "add", $"{vip}/{prefix}", "dev", "b0", "nodad");
        _c.Ok("ip", "neigh", "flush", "dev", "br0");

        var started = TcpPeers.MonotonicNs();
        var unblock = Unblock(_stateB).Run(_b, "start");
        Assert.True(unblock.Code == 0, unblock.ToString());
        var (outcome, at) = TcpPeers.Outcome(client, 5000);
        Assert.Equal("reset", outcome);
        var latency = TimeSpan.FromTicks((at - started) / 100);
        _output.WriteLine($"{vip}: client reset {latency.TotalMilliseconds:F1} ms after unblock start (agent start took {unblock.Elapsed.TotalMilliseconds:F1} ms)");
        Assert.True(latency < s_limit, $"client reset after {latency.TotalMilliseconds:F1} ms");
        Assert.True(latency > TimeSpan.Zero, "reset before unblock started");
    }
}
