// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CtdbPcmk.Client;
using CtdbPcmk.Conntrack.Tracker;
using CtdbPcmk.Linux;
using CtdbPcmk.Ocf;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Conntrack.Tests;

/// <summary>
/// A server namespace holding two public addresses (IPv4 and IPv6) on a veth to a client
/// namespace, two ctdb-pcmkd nodes (node 0 holds the addresses), a listener on port 2049 of
/// both addresses, and the connection tracker running on a thread inside the server namespace
/// (conntrack events, sock_diag and tickles are per namespace). Everything goes on dispose.
/// </summary>
internal sealed class TrackerLab : IDisposable
{
    public const int Port = 2049;
    public static readonly IPAddress Vip4 = IPAddress.Parse("10.77.0.100");
    public static readonly IPAddress Vip6 = IPAddress.Parse("fd77::100");

    private readonly List<Socket> _listeners = [];
    private readonly List<Socket> _accepted = [];
    private readonly List<Socket> _clients = [];
    private CancellationTokenSource? _stop;
    private Thread? _trackerThread;

    public TrackerLab(double commitInterval = 0.2, int maxConnections = 200_000)
    {
        CommitInterval = TimeSpan.FromSeconds(commitInterval);
        MaxConnections = maxConnections;
        StateDir = Directory.CreateTempSubdirectory("ctt-").FullName;
        try
        {
            Cluster = LocalCluster.Start(DaemonKind.Ours, 2, ClusterReadiness.Stable, TimeSpan.FromSeconds(90));
            Server = NetNamespace.Create();
            Client = NetNamespace.Create();
            Ip("link", "add", "ctS", "netns", Server.Name, "type", "veth", "peer", "name", "ctC", "netns", Client.Name);
            In(Server, "ip", "link", "set", "ctS", "up");
            In(Client, "ip", "link", "set", "ctC", "up");
            In(Server, "ip", "addr", "add", "10.77.0.100/24", "dev", "ctS");
            In(Server, "ip", "addr", "add", "fd77::100/64", "dev", "ctS", "nodad");
            In(Client, "ip", "addr", "add", "10.77.0.2/24", "dev", "ctC");
            In(Client, "ip", "addr", "add", "fd77::2/64", "dev", "ctC", "nodad");
            // The agent's own hooks, run inside the namespace (a child process inherits the thread's namespace).
            Server.Run(() =>
            {
                new ConntrackHooks(CommandRunner.ProcessCommandRunner.Instance, new OcfLog("conntrack", OcfEnvironment.From(new Dictionary<string, string>()), TextWriter.Null)).Enable();
                return 0;
            });
            TakeAddresses(0);
            Server.Run(() =>
            {
                foreach (var vip in new[] { Vip4, Vip6 })
                {
                    var listener = new Socket(vip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                    listener.Bind(new IPEndPoint(vip, Port));
                    listener.Listen(4096);
                    _listeners.Add(listener);
                }
                return 0;
            });
            foreach (var listener in _listeners)
            {
                new Thread(() => Accept(listener)) { IsBackground = true }.Start();
            }
            StartTracker();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public LocalCluster Cluster { get; } = null!;
    public NetNamespace Server { get; } = null!;
    public NetNamespace Client { get; } = null!;
    public string StateDir { get; }
    public TimeSpan CommitInterval { get; }
    public int MaxConnections { get; }
    public string ControlSocket => Path.Combine(StateDir, "ct.sock");
    public StringWriter Log { get; } = new();
    public ConnectionTracker? Tracker { get; private set; }

    /// <summary>The listeners close what they accept at once (churn), instead of keeping it.</summary>
    public bool CloseAccepted { get; set; }

    /// <summary>Tells node <paramref name="pnn"/>'s daemon that it may host and now holds both addresses.</summary>
    public void TakeAddresses(int pnn)
    {
        using var c = CtdbClient.Connect(Cluster.Socket(pnn));
        c.Timeout = TimeSpan.FromSeconds(10);
        c.AddPublicIp(Vip4, 24, "ctS");
        c.AddPublicIp(Vip6, 64, "ctS");
        c.TakeoverIp((uint)pnn, Vip4);
        c.TakeoverIp((uint)pnn, Vip6);
    }

    public void StartTracker()
    {
        var environment = new Dictionary<string, string>
        {
            ["OCF_RESKEY_ctdb_socket"] = Cluster.Socket(0),
            ["OCF_RESKEY_control_socket"] = ControlSocket,
            ["OCF_RESKEY_state_dir"] = StateDir,
            ["OCF_RESKEY_ports"] = Port.ToString(CultureInfo.InvariantCulture),
            ["OCF_RESKEY_commit_interval"] = CommitInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            ["OCF_RESKEY_max_connections"] = MaxConnections.ToString(CultureInfo.InvariantCulture),
        };
        var ocf = OcfEnvironment.From(environment);
        var config = ConntrackConfig.Parse(new OcfParameters(ConntrackParameters.All, ocf));
        var log = new OcfLog("conntrack", ocf, TextWriter.Synchronized(Log));
        _stop = new CancellationTokenSource();
        var stop = _stop.Token;
        using var ready = new ManualResetEventSlim();
        Exception? failure = null;
        _trackerThread = Server.Start(() =>
        {
            try
            {
                Tracker = new ConnectionTracker(config, log, null);
            }
            catch (Exception e)
            {
                failure = e;
                return;
            }
            finally
            {
                ready.Set();
            }
            using (Tracker)
            {
                Tracker.Run(stop);
            }
        });
        ready.Wait();
        if (failure is not null)
        {
            throw new InvalidOperationException("tracker did not start", failure);
        }
        Eventually(() => Request("status").StartsWith("ok", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "tracker answers");
        try
        {
            Eventually(() => Request("status").Contains("tracked=2", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "tracker tracks both addresses");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; status: {Request("status")}; log:\n{Log}", e);
        }
    }

    public void StopTracker()
    {
        _stop?.Cancel();
        _trackerThread?.Join(TimeSpan.FromSeconds(10));
        _trackerThread = null;
    }

    /// <summary>One request to the tracker's control socket.</summary>
    public string Request(string line) => UnixLineClient.Send(ControlSocket, line, TimeSpan.FromSeconds(15)) ?? "(no tracker)";

    /// <summary>Opens <paramref name="count"/> client connections to <paramref name="vip"/> from the client namespace.</summary>
    public List<Socket> Connect(IPAddress vip, int count)
    {
        var sockets = Client.Run(() =>
        {
            var list = new List<Socket>(count);
            for (int i = 0; i < count; i++)
            {
                var s = new Socket(vip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                s.Connect(new IPEndPoint(vip, Port));
                list.Add(s);
            }
            return list;
        });
        lock (_clients)
        {
            _clients.AddRange(sockets);
        }
        return sockets;
    }

    /// <summary>
    /// Opens and closes <paramref name="count"/> connections to <paramref name="vip"/> from the
    /// client namespace as fast as <paramref name="threads"/> threads can; returns how many were made.
    /// </summary>
    public int Churn(IPAddress vip, int count, int threads)
    {
        int made = 0;
        var workers = Enumerable.Range(0, threads).Select(_ => Client.Start(() =>
        {
            while (Interlocked.Increment(ref made) <= count)
            {
                using var s = new Socket(vip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                s.Connect(new IPEndPoint(vip, Port));
            }
        })).ToList();
        foreach (var w in workers)
        {
            w.Join();
        }
        return count;
    }

    /// <summary>A counter from the tracker's status line ("name=value").</summary>
    public long Counter(string name)
    {
        var status = Request("status");
        var field = status.Split(' ').FirstOrDefault(f => f.StartsWith(name + "=", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"no {name} in status: {status}");
        return long.Parse(field.AsSpan(name.Length + 1), CultureInfo.InvariantCulture);
    }

    /// <summary>Node <paramref name="pnn"/>'s replicated list for <paramref name="vip"/>.</summary>
    public IReadOnlyList<CtdbConnection> List(int pnn, IPAddress vip)
    {
        using var c = CtdbClient.Connect(Cluster.Socket(pnn));
        c.Timeout = TimeSpan.FromSeconds(10);
        return c.GetTcpTickleList(vip);
    }

    /// <summary>The client endpoints (as the server sees them) of <paramref name="sockets"/>.</summary>
    public static HashSet<IPEndPoint> Endpoints(IEnumerable<Socket> sockets) =>
        sockets.Select(s => (IPEndPoint)s.LocalEndPoint!).ToHashSet();

    public static void Eventually(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not within {timeout.TotalSeconds} s: {what}");
            }
            Thread.Sleep(10);
        }
    }

    public static string In(NetNamespace ns, params string[] argv)
    {
        var r = Sh.Run(["ip", "netns", "exec", ns.Name, .. argv]);
        if (!r.Ok)
        {
            throw new InvalidOperationException($"[{ns.Name}] {string.Join(' ', argv)}: {r}");
        }
        return r.Stdout;
    }

    public void Nft(NetNamespace ns, string script)
    {
        var file = Path.Combine(StateDir, $"nft-{Guid.NewGuid():N}");
        File.WriteAllText(file, script + "\n");
        In(ns, "nft", "-f", file);
    }

    public void Dispose()
    {
        StopTracker();
        foreach (var s in _clients.Concat(_accepted).Concat(_listeners))
        {
            s.Dispose();
        }
        Client?.Dispose();
        Server?.Dispose();
        Cluster?.Dispose();
        Directory.Delete(StateDir, recursive: true);
    }

    private static void Ip(params string[] argv)
    {
        var r = Sh.Run(["ip", .. argv]);
        if (!r.Ok)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', argv)}: {r}");
        }
    }

    private void Accept(Socket listener)
    {
        while (true)
        {
            try
            {
                var s = listener.Accept();
                if (CloseAccepted)
                {
                    s.Dispose();
                    continue;
                }
                lock (_accepted)
                {
                    _accepted.Add(s);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }
}
