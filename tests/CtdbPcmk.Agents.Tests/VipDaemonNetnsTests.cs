// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Net;
using System.Text;
using CtdbPcmk.Client;
using CtdbPcmk.Packets;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Agents.Tests;

/// <summary>
/// The vip agent with a running ctdb-pcmkd in a network namespace (root): the daemon's takeover
/// announcements on the wire, and what stop does to the daemon's clients and to TCP connections.
/// </summary>
[Collection(OcfRootGroup.Name)]
public sealed class VipDaemonNetnsTests(OcfRootFixture root)
{
    private const string Vip = "192.0.2.77";

    [Fact]
    public void Takeover_sends_three_rounds_of_gratuitous_arp_and_tickle_ack()
    {
        using var ns = new Netns();
        using var box = CtdbdSandbox.StartIn(ns, root.Agent("ctdbd"));
        var mac = ns.Mac("v0");
        // A client "behind" v1: its neighbour entry lets the tickles leave at once through v0.
        var clientMac = ns.Mac("v1");
        ns.Ip("neigh", "replace", "192.0.2.50", "lladdr", FormatMac(clientMac), "dev", "v0", "nud", "permanent");
        var client = new IPEndPoint(IPAddress.Parse("192.0.2.50"), 40000);
        var server = new IPEndPoint(IPAddress.Parse(Vip), 445);
        using var smbd = Connect(box);
        smbd.AddPublicIp(server.Address, 24, "v0");
        smbd.TcpClient(client, server);

        using var capture = new Capture(ns, "v1", "arp or (tcp and src host 192.0.2.77)", count: 6, seconds: 20);
        var start = ns.Agent(root.Agent("vip"), "start", Params(box, ("arp_count", "0")));
        Assert.True(start.Code == 0, start.Stderr);
        var frames = capture.TimedFrames();

        var arp = new byte[GratuitousArp.Length];
        GratuitousArp.Write(arp, mac, server.Address);
        var arps = frames.Where(f => BinaryPrimitives.ReadUInt16BigEndian(f.Frame.AsSpan(12)) == Ethernet.TypeArp).ToList();
        var tickles = frames.Where(f => BinaryPrimitives.ReadUInt16BigEndian(f.Frame.AsSpan(12)) == Ethernet.TypeIPv4).ToList();
        Assert.Equal(3, arps.Count);
        Assert.Equal(3, tickles.Count);
        Assert.All(arps, f => Assert.Equal(Convert.ToHexString(arp), Convert.ToHexString(f.Frame)));
        foreach (var (_, frame) in tickles)
        {
            var ip = frame.AsSpan(Ethernet.HeaderLength);
            var tcp = ip[((ip[0] & 0xF) * 4)..];
            Assert.Equal(server.Address, new IPAddress(ip.Slice(12, 4)));
            Assert.Equal(client.Address, new IPAddress(ip.Slice(16, 4)));
            Assert.Equal(445, BinaryPrimitives.ReadUInt16BigEndian(tcp));
            Assert.Equal(40000, BinaryPrimitives.ReadUInt16BigEndian(tcp[2..]));
            Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(tcp[4..]));
            Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(tcp[8..]));
            Assert.Equal((byte)TcpControlBits.Ack, tcp[13]);
        }
        // Each round is an ARP then the tickle; rounds are at least 500 ms apart.
        for (var round = 0; round < 3; round++)
        {
            Assert.True(arps[round].Time <= tickles[round].Time);
            if (round > 0)
            {
                Assert.InRange(tickles[round].Time - tickles[round - 1].Time, 0.5, 2.0);
            }
        }
        Assert.Equal(0, ns.Agent(root.Agent("vip"), "stop", Params(box)).Code);
    }

    [Fact]
    public void Stop_releases_the_address_to_the_daemons_clients_and_resets_its_connections()
    {
        using var ns = new Netns();
        using var box = CtdbdSandbox.StartIn(ns, root.Agent("ctdbd"));
        using var smbd = Connect(box);
        smbd.RegisterSrvid(Srvid.ReleaseIp);
        var p = Params(box, ("arp_count", "1"));
        var start = ns.Agent(root.Agent("vip"), "start", p);
        Assert.True(start.Code == 0, start.Stderr);
        var held = smbd.GetPublicIps().Single();
        Assert.Equal((IPAddress.Parse(Vip), 0u), (held.Address.Address, held.Pnn));

        // A TCP connection to the address, held open by a helper in the namespace: it reports how
        // its client end ends once the address is stopped.
        var script = $$"""
            import socket, sys
            srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            srv.bind(("{{Vip}}", 445)); srv.listen(1)
            cli = socket.create_connection(("{{Vip}}", 445), source_address=("192.0.2.1", 0))
            conn, _ = srv.accept()
            print("ready", flush=True)
            cli.settimeout(15)
            try:
                data = cli.recv(1)
                print("eof" if data == b"" else "data", flush=True)
            except ConnectionResetError:
                print("reset", flush=True)
            except socket.timeout:
                print("timeout", flush=True)
            """;
        var helper = new System.Diagnostics.ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "netns", "exec", ns.Name, "python3", "-c", script })
        {
            helper.ArgumentList.Add(a);
        }
        using var process = System.Diagnostics.Process.Start(helper)!;
        try
        {
            Assert.Equal("ready", process.StandardOutput.ReadLine());
            var stop = ns.Agent(root.Agent("vip"), "stop", p);
            Assert.True(stop.Code == 0, stop.Stderr);
            Assert.Contains("reset 1 TCP connection", stop.Stderr);

            Assert.True(smbd.TryReceiveMessage(TimeSpan.FromSeconds(5), out var message));
            Assert.Equal(Srvid.ReleaseIp, message!.Srvid);
            Assert.Equal(Vip + "\0", Encoding.ASCII.GetString(message.Data));
            Assert.Equal(WireFormat.UnknownPnn, smbd.GetPublicIps().Single().Pnn);
            Assert.Equal("reset", process.StandardOutput.ReadLine());
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            process.WaitForExit();
        }
    }

    [Fact]
    public void Without_a_daemon_the_agent_says_so_and_manages_the_address()
    {
        using var ns = new Netns();
        var p = new Dictionary<string, string> { ["ip"] = Vip, ["arp_count"] = "0", ["ctdb_socket"] = "/nonexistent/ctdbd.socket" };
        var start = ns.Agent(root.Agent("vip"), "start", p);
        Assert.True(start.Code == 0, start.Stderr);
        Assert.Contains("no CTDB daemon socket at /nonexistent/ctdbd.socket", start.Stderr);
        Assert.Equal(0, ns.Agent(root.Agent("vip"), "stop", p).Code);
    }

    private static CtdbClient Connect(CtdbdSandbox box)
    {
        var c = CtdbClient.Connect(box.Socket);
        c.Timeout = TimeSpan.FromSeconds(10);
        return c;
    }

    private static Dictionary<string, string> Params(CtdbdSandbox box, params (string Name, string Value)[] extra)
    {
        var p = new Dictionary<string, string> { ["ip"] = Vip, ["ctdb_socket"] = box.Socket };
        foreach (var (name, value) in extra)
        {
            p[name] = value;
        }
        return p;
    }

    private static string FormatMac(byte[] mac) => string.Join(':', mac.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
}
