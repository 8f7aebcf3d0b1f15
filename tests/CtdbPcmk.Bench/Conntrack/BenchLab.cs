// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CtdbPcmk.Client;
using CtdbPcmk.Conntrack;
using CtdbPcmk.Conntrack.Tracker;
using CtdbPcmk.Linux;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Bench.Conntrack;

/// <summary>
/// Two ctdb-pcmkd nodes (node 0 holds the public address), a server namespace with the address
/// on a veth to a client namespace, a listener on the address, and the connection tracker on a
/// thread inside the server namespace. Everything it made goes on dispose.
/// </summary>
internal sealed class BenchLab : IDisposable
{
    public const int Port = 2049;

    /// <summary>The port the C churn server listens on (tests/bench/floor/churn.c), tracked too.</summary>
    public const int ChurnPort = 2050;
    public const string ServerIf = "cbS";
    public const string ClientIf = "cbC";
    public static readonly IPAddress Vip = IPAddress.Parse("10.79.0.100");
    public static readonly IPAddress ClientAddress = IPAddress.Parse("10.79.0.2");

    private readonly List<Socket> _kept = [];
    private Socket? _listener;
    private CancellationTokenSource? _stop;
    private Thread? _trackerThread;

    public BenchLab(string work)
    {
        StateDir = Directory.CreateTempSubdirectory("cbt-").FullName;
        Work = work;
        try
        {
            Cluster = LocalCluster.Start(DaemonKind.Ours, 2, ClusterReadiness.Stable, TimeSpan.FromSeconds(120));
            Ledger.Note("cluster", Cluster.Directory);
            Server = NetNamespace.Create();
            Ledger.Note("netns", Server.Name);
            Client = NetNamespace.Create();
            Ledger.Note("netns", Client.Name);
            Check(["ip", "link", "add", ServerIf, "netns", Server.Name, "type", "veth", "peer", "name", ClientIf, "netns", Client.Name]);
            In(Server, "ip", "link", "set", ServerIf, "up");
            In(Client, "ip", "link", "set", ClientIf, "up");
            In(Server, "ip", "addr", "add", $"{Vip}/24", "dev", ServerIf);
            In(Client, "ip", "addr", "add", $"{ClientAddress}/24", "dev", ClientIf);
            // Churn: every local port, and the listener's backlog as deep as the kernel allows.
            In(Client, "sysctl", "-qw", "net.ipv4.ip_local_port_range=1024 65535");
            In(Server, "sysctl", "-qw", "net.core.somaxconn=65535");
            Server.Run(() =>
            {
                new ConntrackHooks(CommandRunner.ProcessCommandRunner.Instance, new OcfLog("conntrack", OcfEnvironment.From(new Dictionary<string, string>()), TextWriter.Null)).Enable();
                return 0;
            });
            TakeAddress();
            _listener = Server.Run(() =>
            {
                var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                listener.Bind(new IPEndPoint(Vip, Port));
                listener.Listen(65535);
                return listener;
            });
            new Thread(Accept) { IsBackground = true, Name = "accept" }.Start();
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
    public string Work { get; }
    public string ControlSocket => Path.Combine(StateDir, "ct.sock");
    public StringWriter Log { get; } = new();
    public ConnectionTracker? Tracker { get; private set; }

    /// <summary>The tracker thread's kernel id (for its CPU time), 0 when none runs.</summary>
    public int TrackerTid { get; private set; }

    /// <summary>The CPU time of the running tracker: its loop's thread and its event pump's.</summary>
    public TimeSpan TrackerCpu() => ThreadCpu.OfThread(TrackerTid) + ThreadCpu.OfThreadsNamed("conntrack event");

    /// <summary>Accepted connections are kept open (true) or closed at once (churn).</summary>
    public volatile bool KeepAccepted = true;

    /// <summary>Node 0 may host and now holds the address.</summary>
    public void TakeAddress()
    {
        using var c = CtdbClient.Connect(Cluster.Socket(0));
        c.Timeout = TimeSpan.FromSeconds(10);
        c.AddPublicIp(Vip, 24, ServerIf);
        c.TakeoverIp(0, Vip);
    }

    /// <summary>The tracker's configuration, as the agent would pass it.</summary>
    public ConntrackConfig Config(double commitInterval, int maxConnections = 1_000_000)
    {
        var environment = new Dictionary<string, string>
        {
            ["OCF_RESKEY_ctdb_socket"] = Cluster.Socket(0),
            ["OCF_RESKEY_control_socket"] = ControlSocket,
            ["OCF_RESKEY_state_dir"] = StateDir,
            ["OCF_RESKEY_ports"] = string.Create(CultureInfo.InvariantCulture, $"{Port},{ChurnPort}"),
            ["OCF_RESKEY_commit_interval"] = commitInterval.ToString(CultureInfo.InvariantCulture),
            ["OCF_RESKEY_max_connections"] = maxConnections.ToString(CultureInfo.InvariantCulture),
        };
        return ConntrackConfig.Parse(new OcfParameters(ConntrackParameters.All, OcfEnvironment.From(environment)));
    }

    public OcfLog TrackerLog() => new("conntrack", OcfEnvironment.From(new Dictionary<string, string>()), TextWriter.Synchronized(Log));

    /// <summary>Starts the tracker's own loop (events from the kernel) on a thread in the server namespace.</summary>
    public void StartTracker(double commitInterval)
    {
        var config = Config(commitInterval);
        _stop = new CancellationTokenSource();
        var stop = _stop.Token;
        using var ready = new ManualResetEventSlim();
        Exception? failure = null;
        _trackerThread = Server.Start(() =>
        {
            try
            {
                TrackerTid = ThreadCpu.CurrentTid();
                Tracker = new ConnectionTracker(config, TrackerLog(), null);
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
        Wait.Until(() => Request("status").Contains("tracked=1", StringComparison.Ordinal), TimeSpan.FromSeconds(15), "tracker tracks the address");
    }

    public void StopTracker()
    {
        _stop?.Cancel();
        _trackerThread?.Join(TimeSpan.FromSeconds(15));
        _trackerThread = null;
        Tracker = null;
        TrackerTid = 0;
    }

    /// <summary>One request to the tracker's control socket.</summary>
    public string Request(string line) => UnixLineClient.Send(ControlSocket, line, TimeSpan.FromSeconds(20)) ?? "(no tracker)";

    /// <summary>A counter from the tracker's status line.</summary>
    public static long StatusValue(string status, string key) => (long)StatusValueDouble(status, key);

    /// <summary>A figure from the tracker's status line.</summary>
    public static double StatusValueDouble(string status, string key)
    {
        foreach (var part in status.Split(' '))
        {
            if (part.StartsWith(key + "=", StringComparison.Ordinal))
            {
                return double.Parse(part[(key.Length + 1)..], CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException($"no {key} in '{status}'");
    }

    /// <summary>Closes the connections the listener kept.</summary>
    public void DropKept()
    {
        lock (_kept)
        {
            foreach (var s in _kept)
            {
                s.Dispose();
            }
            _kept.Clear();
        }
    }

    public static string In(NetNamespace ns, params string[] argv) => Check(["ip", "netns", "exec", ns.Name, .. argv]);

    public static string Check(IReadOnlyList<string> argv)
    {
        var r = Sh.Run(argv);
        return r.Ok ? r.Stdout : throw new InvalidOperationException($"{string.Join(' ', argv)}: {r}");
    }

    public void Dispose()
    {
        StopTracker();
        _listener?.Dispose();
        DropKept();
        Client?.Dispose();
        Server?.Dispose();
        Cluster?.Dispose();
        Directory.Delete(StateDir, recursive: true);
    }

    private void Accept()
    {
        while (true)
        {
            Socket s;
            try
            {
                s = _listener!.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or NullReferenceException)
            {
                return;
            }
            if (KeepAccepted)
            {
                lock (_kept)
                {
                    _kept.Add(s);
                }
            }
            else
            {
                s.Dispose();
            }
        }
    }
}
