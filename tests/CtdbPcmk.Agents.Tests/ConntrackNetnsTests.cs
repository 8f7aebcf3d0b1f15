// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Net;
using CtdbPcmk.Client;

namespace CtdbPcmk.Agents.Tests;

/// <summary>
/// The installed ocf:ctdb:conntrack with ctdb-pcmkd and ocf:ctdb:vip in a network namespace
/// (root): its life cycle as Pacemaker drives it, and the reset actions vip calls on it.
/// </summary>
[Collection(OcfRootGroup.Name)]
public sealed class ConntrackNetnsTests(OcfRootFixture root)
{
    private const string Vip = "192.0.2.78";

    [Fact]
    public void Start_monitor_stop_with_vip_asking_the_tracker_on_takeover_and_release()
    {
        using var ns = new Netns();
        using var box = CtdbdSandbox.StartIn(ns, root.Agent("ctdbd"));
        var stateDir = Path.Combine(ns.StateDir, "conntrack");
        var control = Path.Combine(stateDir, "tracker.sock");
        var conntrack = new Dictionary<string, string>
        {
            ["ctdb_socket"] = box.Socket, ["state_dir"] = stateDir, ["control_socket"] = control,
            ["commit_interval"] = "0", ["ports"] = "445",
        };
        var vip = new Dictionary<string, string>
        {
            ["ip"] = Vip, ["cidr_netmask"] = "24", ["nic"] = "v0", ["arp_count"] = "0",
            ["ctdb_socket"] = box.Socket, ["conntrack_socket"] = control,
        };
        try
        {
            Assert.Equal(7, ns.Agent(root.Agent("conntrack"), "monitor", conntrack).Code);
            Check(ns.Agent(root.Agent("conntrack"), "start", conntrack), "start");
            Check(ns.Agent(root.Agent("conntrack"), "monitor", conntrack), "monitor");
            var again = ns.Agent(root.Agent("conntrack"), "start", conntrack);
            Check(again, "second start");
            Assert.Contains("tracker already running", again.Stderr, StringComparison.Ordinal);

            // A client another node recorded for the address: the takeover tickles it, then the
            // tracker removes it from the replicated list.
            using var smbd = CtdbClient.Connect(box.Socket);
            smbd.Timeout = TimeSpan.FromSeconds(10);
            var server = new IPEndPoint(IPAddress.Parse(Vip), 445);
            var foreign = new IPEndPoint(IPAddress.Parse("192.0.2.50"), 40000);
            smbd.AddPublicIp(server.Address, 24, "v0");
            smbd.TcpClient(foreign, server);
            Assert.Contains(smbd.GetTcpTickleList(server.Address), c => c.Source.Equals(foreign));
            var start = ns.Agent(root.Agent("vip"), "start", vip);
            Check(start, "vip start");
            Assert.Contains("connection tracker: ", start.Stderr, StringComparison.Ordinal);
            // The tracker answers at once and removes the entry after its tickle rounds.
            Poll(() => !smbd.GetTcpTickleList(server.Address).Any(c => c.Source.Equals(foreign)), $"{foreign} still listed after the takeover");

            // A connection made after the takeover: the tracker learns it from conntrack events.
            using var client = Connection.Open(ns, Vip);
            var local = WaitForEntry(smbd, server.Address, client.Source);
            Assert.Equal(server, local.Destination);

            // By hand, as an administrator would: reset-client leaves open local connections alone.
            var byHand = ns.Agent(root.Agent("conntrack"), ["reset-client", Vip], conntrack);
            Check(byHand, "reset-client");
            Assert.Contains(smbd.GetTcpTickleList(server.Address), c => c.Source.Equals(client.Source));

            // Release: vip asks the tracker to reset the server side; the client sees a RST and no
            // established socket to the address is left.
            var stop = ns.Agent(root.Agent("vip"), "stop", vip);
            Check(stop, "vip stop");
            Assert.Contains("connection tracker: ", stop.Stderr, StringComparison.Ordinal);
            Assert.Equal("reset", client.Outcome());
            Assert.DoesNotContain(Vip + ":", ns.Exec("ss", "-Htn", "state", "established").Stdout, StringComparison.Ordinal);

            Check(ns.Agent(root.Agent("conntrack"), "monitor", conntrack), "monitor after the moves");
            Check(ns.Agent(root.Agent("conntrack"), "stop", conntrack), "stop");
            Assert.Equal(7, ns.Agent(root.Agent("conntrack"), "monitor", conntrack).Code);
            Check(ns.Agent(root.Agent("conntrack"), "stop", conntrack), "second stop");
            Assert.NotEqual(0, Sh.Run("ip", ["netns", "exec", ns.Name, "nft", "list", "table", "inet", "ctdb_conntrack"]).Code);
        }
        finally
        {
            ns.Agent(root.Agent("conntrack"), "stop", conntrack);
        }
    }

    private static void Check(Sh.Result result, string what) =>
        Assert.True(result.Code == 0, $"{what}: {result}");

    private static CtdbPcmk.Protocol.CtdbConnection WaitForEntry(CtdbClient client, IPAddress address, IPEndPoint source)
    {
        CtdbPcmk.Protocol.CtdbConnection? entry = null;
        Poll(() => (entry = client.GetTcpTickleList(address).FirstOrDefault(c => c.Source.Equals(source))) is not null,
            $"{source} never appeared in the list of {address}");
        return entry!;
    }

    private static void Poll(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            Thread.Sleep(20);
        }
    }

    /// <summary>
    /// A TCP connection from 192.0.2.1 to the address's port 445, both ends held by a helper
    /// process in the namespace; it reports how the client end ends.
    /// </summary>
    private sealed class Connection : IDisposable
    {
        private readonly Process _process;

        private Connection(Process process, IPEndPoint source)
        {
            _process = process;
            Source = source;
        }

        public IPEndPoint Source { get; }

        public static Connection Open(Netns ns, string address)
        {
            var script = $$"""
                import socket
                srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                srv.bind(("{{address}}", 445)); srv.listen(1)
                cli = socket.create_connection(("{{address}}", 445), source_address=("192.0.2.1", 0))
                conn, _ = srv.accept()
                print(cli.getsockname()[1], flush=True)
                cli.settimeout(20)
                try:
                    data = cli.recv(1)
                    print("eof" if data == b"" else "data", flush=True)
                except ConnectionResetError:
                    print("reset", flush=True)
                except socket.timeout:
                    print("timeout", flush=True)
                """;
            var info = new ProcessStartInfo("ip") { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in new[] { "netns", "exec", ns.Name, "python3", "-c", script })
            {
                info.ArgumentList.Add(a);
            }
            var process = Process.Start(info)!;
            var port = process.StandardOutput.ReadLine();
            if (port is null)
            {
                process.WaitForExit();
                throw new InvalidOperationException("the connection helper ended before connecting");
            }
            return new Connection(process, new IPEndPoint(IPAddress.Parse("192.0.2.1"), int.Parse(port, System.Globalization.CultureInfo.InvariantCulture)));
        }

        public string? Outcome() => _process.StandardOutput.ReadLine();

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }
            _process.WaitForExit();
            _process.Dispose();
        }
    }
}
