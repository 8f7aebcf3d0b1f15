// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Net;
using CtdbPcmk.Packets;

namespace CtdbPcmk.Portblock.Tests;

/// <summary>tshark, in the clients' namespace, sees exactly the tickle ACKs the builders produce, IPv4 and IPv6.</summary>
public sealed class TickleCaptureTests : IDisposable
{
    private readonly Netns _server = Netns.Create("tks");
    private readonly Netns _clients = Netns.Create("tkc");
    private readonly string _state = Directory.CreateTempSubdirectory("pbt-state").FullName;
    private readonly string _tickle = Directory.CreateTempSubdirectory("pbt-tickle").FullName;

    public TickleCaptureTests()
    {
        Netns.Link(_server, "s0", _clients, "c0");
        _server.Ok("ip", "addr", "add", "192.0.2.50/24", "dev", "s0");
        _server.Ok("ip", "addr", "add", "fd00::50/64", "dev", "s0", "nodad");
        _clients.Ok("ip", "addr", "add", "192.0.2.10/24", "dev", "c0");
        _clients.Ok("ip", "addr", "add", "192.0.2.11/24", "dev", "c0");
        _clients.Ok("ip", "addr", "add", "fd00::10/64", "dev", "c0", "nodad");
    }

    public void Dispose()
    {
        _clients.Dispose();
        _server.Dispose();
        Directory.Delete(_state, recursive: true);
        Directory.Delete(_tickle, recursive: true);
    }

    [Fact]
    public void UnblockStartSendsThreeRoundsOfExactTickleAcks()
    {
        // Stock format (server TAB client) for IPv4; the IPv6 file lists the client first.
        File.WriteAllText(Path.Combine(_tickle, "192.0.2.50"), "192.0.2.50:445\t192.0.2.10:40001\n192.0.2.50:139\t192.0.2.11:40002\n");
        File.WriteAllText(Path.Combine(_tickle, "fd00::50"), "[fd00::10]:40003 [fd00::50]:445\n");
        var pcap = Path.Combine(_tickle, "capture.pcap");
        var tshark = _clients.Start("tshark", "-i", "c0", "-F", "pcap", "-w", pcap, "-f", "tcp");
        FirewallRuleTests.WaitUntil(() => File.Exists(pcap) && new FileInfo(pcap).Length >= 24, 20000);

        foreach (var ip in new[] { "192.0.2.50", "fd00::50" })
        {
            var run = new AgentProcess("pb-" + ip.Replace(':', '_'), _state, ("protocol", "tcp"), ("portno", "445,139"),
                ("action", "unblock"), ("ip", ip), ("tickle_dir", _tickle)).Run(_server, "start");
            Assert.True(run.Code == 0, run.ToString());
            Assert.Contains(ip == "192.0.2.50" ? "sent 6 tickle ACK(s) to 2 recorded" : "sent 3 tickle ACK(s) to 1 recorded", run.Stderr);
            // Rounds are spaced above the 500 ms out-of-window answer limit.
            Assert.True(run.Elapsed >= 2 * TimeSpan.FromMilliseconds(500), run.ToString());
        }

        Thread.Sleep(300);
        Stop(tshark);

        var fromServer = Pcap.IpPackets(pcap)
            .Where(p => p[0] >> 4 == 4 ? p.AsSpan(12, 4).SequenceEqual(IPAddress.Parse("192.0.2.50").GetAddressBytes())
                                      : p.AsSpan(8, 16).SequenceEqual(IPAddress.Parse("fd00::50").GetAddressBytes()))
            .Select(Convert.ToHexStringLower).ToList();
        var expected = new List<string>();
        (string Server, string Client)[] v4 = [("192.0.2.50:445", "192.0.2.10:40001"), ("192.0.2.50:139", "192.0.2.11:40002")];
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < v4.Length; i++)
            {
                expected.Add(Convert.ToHexStringLower(TcpTickle.TickleAck(IPEndPoint.Parse(v4[i].Server), IPEndPoint.Parse(v4[i].Client), Tickler.Identification(round, i))));
            }
        }

        for (var round = 0; round < 3; round++)
        {
            expected.Add(Convert.ToHexStringLower(TcpTickle.TickleAck(IPEndPoint.Parse("[fd00::50]:445"), IPEndPoint.Parse("[fd00::10]:40003"), Tickler.Identification(round, 0))));
        }

        Assert.Equal(expected, fromServer);

        // tshark's own dissection agrees: good checksums, ACK only, seq 0, ack 0, window 1234.
        var fields = Sh.Ok("tshark", "-r", pcap, "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
            "-Y", "ip.src==192.0.2.50 or ipv6.src==fd00::50", "-T", "fields", "-E", "separator=,",
            "-e", "tcp.checksum.status", "-e", "tcp.flags", "-e", "tcp.seq_raw", "-e", "tcp.ack_raw", "-e", "tcp.window_size_value");
        var lines = fields.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(9, lines.Length);
        Assert.All(lines, l => Assert.Equal("1,0x0010,0,0,1234", l));
    }

    private static void Stop(Process tshark)
    {
        // SIGINT lets tshark flush the capture file; it is our own child, addressed by PID.
        Sh.Run("kill", "-INT", tshark.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(tshark.WaitForExit(10000), "tshark did not stop");
    }
}
