// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CtdbPcmk.Client;

namespace CtdbPcmk.Portblock.Tests;

/// <summary>
/// Unblock with a running ctdb-pcmkd (started through the ctdbd agent): the connections the
/// daemon knows on a port in portno are tickled together with tickle_dir's, each once.
/// </summary>
public sealed class DaemonTickleTests : IDisposable
{
    private readonly Netns _server = Netns.Create("dts");
    private readonly Netns _clients = Netns.Create("dtc");
    private readonly string _state = Directory.CreateTempSubdirectory("pbt-state").FullName;
    private readonly string _tickle = Directory.CreateTempSubdirectory("pbt-tickle").FullName;
    private readonly string _daemonDir = Directory.CreateTempSubdirectory("pbt-ctdbd").FullName;
    private readonly Dictionary<string, string> _daemonEnv;

    public DaemonTickleTests()
    {
        Netns.Link(_server, "s0", _clients, "c0");
        _server.Ok("ip", "addr", "add", "192.0.2.50/24", "dev", "s0");
        _clients.Ok("ip", "addr", "add", "192.0.2.10/24", "dev", "c0");
        File.SetUnixFileMode(_daemonDir, (UnixFileMode)0x1ED);
        File.WriteAllText(Path.Combine(_daemonDir, "nodes"), "127.0.0.1\n");
        _daemonEnv = new Dictionary<string, string>
        {
            ["PATH"] = AgentProcess.DefaultPath,
            ["OCF_ROOT"] = OcfRoot.Path,
            ["OCF_RESOURCE_INSTANCE"] = "ctdbd-pb",
            ["OCF_RESKEY_CRM_meta_timeout"] = "30000",
            ["OCF_RESKEY_ctdb_nodes_file"] = Path.Combine(_daemonDir, "nodes"),
            ["OCF_RESKEY_ctdb_port"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["OCF_RESKEY_ctdb_socket"] = Socket,
            ["OCF_RESKEY_ctdb_rundir"] = Path.Combine(_daemonDir, "run"),
            ["OCF_RESKEY_ctdb_dbdir"] = Path.Combine(_daemonDir, "db"),
            ["OCF_RESKEY_ctdb_logfile"] = Path.Combine(_daemonDir, "log.ctdb"),
        };
    }

    private string Socket => Path.Combine(_daemonDir, "run", "ctdbd.socket");

    public void Dispose()
    {
        Sh.Run([OcfRoot.Agent("ctdbd"), "stop"], _daemonEnv, cleanEnvironment: true);
        _clients.Dispose();
        _server.Dispose();
        Directory.Delete(_state, recursive: true);
        Directory.Delete(_tickle, recursive: true);
        Directory.Delete(_daemonDir, recursive: true);
    }

    [Fact]
    public void Unblock_tickles_the_daemons_connections_on_the_ports_once_each()
    {
        var start = Sh.Run([OcfRoot.Agent("ctdbd"), "start"], _daemonEnv, cleanEnvironment: true);
        Assert.True(start.Code == 0, start.ToString());
        using (var c = CtdbClient.Connect(Socket))
        {
            c.Timeout = TimeSpan.FromSeconds(10);
            var vip = IPAddress.Parse("192.0.2.50");
            c.AddPublicIp(vip, 24, "s0");
            c.TcpClient(IPEndPoint.Parse("192.0.2.10:40001"), new IPEndPoint(vip, 445));
            c.TcpClient(IPEndPoint.Parse("192.0.2.10:40009"), new IPEndPoint(vip, 8080)); // not in portno
            Assert.Equal(2, c.GetTcpTickleList(vip).Count);

            // The first connection is also in tickle_dir; the file adds one on port 139.
            File.WriteAllText(Path.Combine(_tickle, "192.0.2.50"), "192.0.2.50:445\t192.0.2.10:40001\n192.0.2.50:139\t192.0.2.10:40002\n");
            var both = new AgentProcess("pb-both", _state, ("protocol", "tcp"), ("portno", "445,139"), ("action", "unblock"),
                ("ip", "192.0.2.50"), ("tickle_dir", _tickle), ("ctdb_socket", Socket)).Run(_server, "start");
            Assert.True(both.Code == 0, both.ToString());
            Assert.Contains("sent 6 tickle ACK(s) to 2 recorded connection(s)", both.Stderr);

            var daemonOnly = new AgentProcess("pb-daemon", _state, ("protocol", "tcp"), ("portno", "445"), ("action", "unblock"),
                ("ip", "192.0.2.50"), ("ctdb_socket", Socket)).Run(_server, "start");
            Assert.True(daemonOnly.Code == 0, daemonOnly.ToString());
            Assert.Contains("sent 3 tickle ACK(s) to 1 recorded connection(s)", daemonOnly.Stderr);
        }

        var absent = new AgentProcess("pb-absent", _state, ("protocol", "tcp"), ("portno", "445"), ("action", "unblock"),
            ("ip", "192.0.2.50"), ("ctdb_socket", Path.Combine(_daemonDir, "missing.socket"))).Run(_server, "start");
        Assert.True(absent.Code == 0, absent.ToString());
        Assert.Contains("no CTDB daemon socket", absent.Stderr);
    }

    private static int FreePort()
    {
        using var s = new System.Net.Sockets.Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }
}
