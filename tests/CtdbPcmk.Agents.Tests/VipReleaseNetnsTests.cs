// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace CtdbPcmk.Agents.Tests;

/// <summary>
/// The published vip agent's stop while it is under way (root, a network namespace): from its
/// first step the address takes no new connection here, while the connections it still has are
/// reset to their peers. The stop is held in its middle by a stand-in connection tracker: the
/// agent asks the tracker to reset the address's connections after smbd was told to let go of
/// them (RELEASE_IP) and before the address goes, the instant in which a client that reconnects
/// at once would otherwise be accepted here only to be reset.
/// </summary>
[Collection(OcfRootGroup.Name)]
public sealed class VipReleaseNetnsTests(OcfRootFixture root)
{
    private const string Vip = "192.0.2.78";
    private readonly string _vip = root.Agent("vip");

    [Fact]
    public async Task A_stopping_address_takes_no_new_connection_and_resets_those_it_has()
    {
        using var ns = new Netns();
        var tracker = Path.Combine(ns.StateDir, "tracker.sock");
        var p = new Dictionary<string, string>
        {
            ["ip"] = Vip,
            ["arp_count"] = "0",
            ["ctdb_socket"] = "/nonexistent/ctdbd.socket",
            ["conntrack_socket"] = tracker,
        };
        var start = ns.Agent(_vip, "start", p);
        Assert.True(start.Code == 0, start.Stderr);

        // A server on the address with one client connected, in the namespace: on "probe" it
        // tries one new connection (1.5 s), then reports how the connected client's end ends.
        var script = $$"""
            import socket, sys
            srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            srv.bind(("{{Vip}}", 445)); srv.listen(4)
            cli = socket.create_connection(("{{Vip}}", 445), source_address=("192.0.2.1", 0))
            conn, _ = srv.accept()
            print("ready", flush=True)
            sys.stdin.readline()
            try:
                socket.create_connection(("{{Vip}}", 445), timeout=1.5, source_address=("192.0.2.1", 0))
                print("connected", flush=True)
            except socket.timeout:
                print("unanswered", flush=True)
            except OSError as e:
                print("failed " + str(e), flush=True)
            cli.settimeout(15)
            try:
                print("eof" if cli.recv(1) == b"" else "data", flush=True)
            except ConnectionResetError:
                print("reset", flush=True)
            except socket.timeout:
                print("timeout", flush=True)
            """;
        var psi = new ProcessStartInfo("ip")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "netns", "exec", ns.Name, "python3", "-c", script })
        {
            psi.ArgumentList.Add(a);
        }
        using var helper = Process.Start(psi)!;
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(tracker));
        listener.Listen(1);
        try
        {
            Assert.Equal("ready", helper.StandardOutput.ReadLine());
            var stop = Task.Run(() => ns.Agent(_vip, "stop", p));

            using var held = await listener.AcceptAsync().WaitAsync(TimeSpan.FromSeconds(20));
            var request = await ReadLineAsync(held);
            Assert.Equal($"reset-server {Vip}", request);
            // The address is still here, and smbd has been told to let go of it.
            Assert.Contains(ns.Addresses("v0"), a => a.Address == Vip);
            await helper.StandardInput.WriteLineAsync("probe");
            await helper.StandardInput.FlushAsync();
            Assert.Equal("unanswered", await helper.StandardOutput.ReadLineAsync());
            // No tracker for it after all: the agent resets the connections itself, while the
            // address (without its local route) can still send the resets.
            await held.SendAsync(Encoding.ASCII.GetBytes("error not tracking\n"));

            var result = await stop.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(result.Code == 0, result.Stderr);
            Assert.Contains("reset 1 TCP connection", result.Stderr);
            Assert.Equal("reset", await helper.StandardOutput.ReadLineAsync());
            Assert.DoesNotContain(ns.Addresses("v0"), a => a.Address == Vip);
            Assert.DoesNotContain(Vip, ns.Ip("route", "show", "table", "local").Stdout);
        }
        finally
        {
            if (!helper.HasExited)
            {
                helper.Kill(entireProcessTree: true);
            }
            await helper.WaitForExitAsync();
        }
    }

    [Fact]
    public void Start_gives_back_the_local_route_a_stop_cut_short_took()
    {
        using var ns = new Netns();
        var p = new Dictionary<string, string> { ["ip"] = Vip, ["arp_count"] = "0", ["ctdb_socket"] = "/nonexistent/ctdbd.socket" };
        var start = ns.Agent(_vip, "start", p);
        Assert.True(start.Code == 0, start.Stderr);
        Assert.Contains($"local {Vip} dev v0", ns.Ip("route", "show", "table", "local").Stdout);
        ns.Ip("route", "del", "local", Vip, "dev", "v0", "table", "local");
        Assert.DoesNotContain(Vip, ns.Ip("route", "show", "table", "local").Stdout);

        var again = ns.Agent(_vip, "start", p);
        Assert.True(again.Code == 0, again.Stderr);
        Assert.Contains("takes packets again", again.Stderr);
        Assert.Contains($"local {Vip} dev v0", ns.Ip("route", "show", "table", "local").Stdout);
        // A second start finds nothing to give back.
        Assert.DoesNotContain("takes packets again", ns.Agent(_vip, "start", p).Stderr);
        Assert.Equal(0, ns.Agent(_vip, "stop", p).Code);
    }

    private static async Task<string> ReadLineAsync(Socket socket)
    {
        var buffer = new byte[256];
        var length = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (Array.IndexOf(buffer, (byte)'\n', 0, length) < 0)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            Assert.True(n > 0, "the agent closed the tracker connection without a request");
            length += n;
        }
        return Encoding.ASCII.GetString(buffer, 0, Array.IndexOf(buffer, (byte)'\n', 0, length));
    }
}
