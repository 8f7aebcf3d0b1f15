// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CtdbPcmk.Linux;
using CtdbPcmk.Ocf;
using CtdbPcmk.TestSupport;
using CtdbPcmk.TestSupport.Ganesha;

namespace CtdbPcmk.Nfs.Tests;

/// <summary>
/// One node's ocf:ctdb:nfs, run in-process: a private system bus, a ganesha.conf bound to
/// <see cref="Address"/> on a free port, HA_RSCTMP, the log and the pid files in a temp
/// directory of its own. A second sandbox made with <see cref="Peer"/> shares the export and the
/// RecoveryRoot (as nodes on shared storage do). Dispose runs stop, then kills by PID whatever
/// the agent recorded or the test started, then the bus.
/// </summary>
internal sealed class NfsSandbox : IDisposable
{
    private readonly NfsSandbox? _owner;
    private readonly HashSet<TrackedProcess> _started = [];
    private readonly DBusDaemonProcess _bus;

    public NfsSandbox(string address = "127.0.0.1", int nodeId = 1, int gracePeriod = 10, int leaseLifetime = 5)
        : this(null, address, nodeId, gracePeriod, leaseLifetime)
    {
    }

    private NfsSandbox(NfsSandbox? owner, string address, int nodeId, int gracePeriod, int leaseLifetime)
    {
        _owner = owner;
        Shared = owner?.Shared ?? Directory.CreateTempSubdirectory("cpk-nfsagent-").FullName;
        Dir = Path.Combine(Shared, "node" + nodeId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(Dir);
        ExportPath = Path.Combine(Shared, "exp");
        RecoveryRoot = Path.Combine(Shared, "recov");
        Directory.CreateDirectory(ExportPath);
        Directory.CreateDirectory(RecoveryRoot);
        StateDirectory = Path.Combine(Dir, "rsctmp");
        LogFile = Path.Combine(Dir, "log", "ganesha.log");
        Config = Path.Combine(Dir, "ganesha.conf");
        Address = address;
        NodeId = nodeId;
        Options = new GaneshaOptions(Dir, FreePort(address), RecoveryRoot, ExportPath)
        {
            Address = address,
            NodeId = nodeId,
            GracePeriod = gracePeriod,
            LeaseLifetime = leaseLifetime,
        };
        File.WriteAllText(Config, Options.ConfigText());
        _bus = DBusDaemonProcess.Start(Dir);
    }

    /// <summary>The directory shared by the sandboxes of one test (export, RecoveryRoot).</summary>
    public string Shared { get; }

    /// <summary>This node's own directory.</summary>
    public string Dir { get; }

    public string ExportPath { get; }

    public string RecoveryRoot { get; }

    public string StateDirectory { get; }

    public string LogFile { get; }

    public string Config { get; }

    public string Address { get; }

    public int NodeId { get; }

    public int Port => Options.Port;

    public GaneshaOptions Options { get; }

    public DBusDaemonProcess Bus => _bus;

    /// <summary>Whether the private bus still runs (<see cref="StopBus"/> ends it early).</summary>
    public bool BusRuns { get; private set; } = true;

    /// <summary>Ends the private bus: ganesha loses its D-Bus side.</summary>
    public void StopBus()
    {
        if (BusRuns)
        {
            BusRuns = false;
            _bus.Dispose();
        }
    }

    /// <summary>Another node sharing this one's export and RecoveryRoot.</summary>
    public NfsSandbox Peer(string address, int nodeId) =>
        new(this, address, nodeId, Options.GracePeriod, Options.LeaseLifetime);

    /// <summary>The OCF environment of an action: the parameters, HA_RSCTMP and the timeout, then <paramref name="extra"/>.</summary>
    public Dictionary<string, string> Environment(params (string Name, string Value)[] extra)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["OCF_RESKEY_config"] = Config,
            ["OCF_RESKEY_node_id"] = NodeId.ToString(CultureInfo.InvariantCulture),
            ["OCF_RESKEY_dbus_address"] = _bus.Address,
            ["OCF_RESKEY_log_file"] = LogFile,
            ["OCF_RESKEY_CRM_meta_timeout"] = "20000",
            ["HA_RSCTMP"] = StateDirectory,
        };
        foreach (var (name, value) in extra)
        {
            env[name] = value;
        }
        return env;
    }

    /// <summary>Runs an action of a new agent instance, as Pacemaker runs each in a process of its own.</summary>
    public AgentRun Run(string action, params (string Name, string Value)[] extra)
    {
        var run = AgentRun.Of(new NfsAgent(), action, Environment(extra));
        if (State is { } state)
        {
            _started.Add(state.Process);
        }
        return run;
    }

    /// <summary>Runs an action and fails the test unless it returns 0.</summary>
    public void Ok(string action, params (string Name, string Value)[] extra)
    {
        var run = Run(action, extra);
        Assert.True(run.ExitCode == 0, $"{action} on node {NodeId}: {run}\n{LogTail()}");
    }

    public NfsConfig ParsedConfig =>
        NfsConfig.Parse(new OcfParameters(new NfsAgent().Parameters, OcfEnvironment.From(Environment())), OcfEnvironment.From(Environment()));

    /// <summary>What start recorded; null when nothing runs.</summary>
    public NfsState? State => NfsState.Load(ParsedConfig.StateFile);

    /// <summary>The takeover file start writes for ocf:ctdb:vip.</summary>
    public string TakeoverFile => NfsTakeover.PathIn(StateDirectory);

    /// <summary>ganesha's log, for assertions and their messages.</summary>
    public string Log => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "";

    public string LogTail(int lines = 30)
    {
        var all = Log.Split('\n');
        return $"--- {LogFile}\n" + string.Join('\n', all.TakeLast(lines));
    }

    /// <summary>Signals the recorded ganesha and waits until /proc shows it in the state the signal brings.</summary>
    public TrackedProcess Signal(int signal)
    {
        var process = State!.Process;
        Assert.True(ProcessTree.Signal(process, signal), $"signal {signal} to pid {process.Pid}");
        if (signal == ProcessTree.SigKill)
        {
            Assert.True(ProcessTree.WaitGone([process], DateTime.UtcNow.AddSeconds(10)), $"ganesha pid {process.Pid} survived SIGKILL");
        }
        return process;
    }

    public void Dispose()
    {
        try
        {
            try
            {
                Run("stop");
            }
            finally
            {
                foreach (var p in _started.SelectMany(ProcessTree.WithDescendants).ToList())
                {
                    ProcessTree.Signal(p, ProcessTree.SigCont);
                    ProcessTree.Signal(p, ProcessTree.SigKill);
                }
                ProcessTree.WaitGone(_started, DateTime.UtcNow.AddSeconds(10));
                StopBus();
            }
        }
        finally
        {
            if (_owner is null)
            {
                Directory.Delete(Shared, recursive: true);
            }
        }
    }

    private static int FreePort(string address)
    {
        using var listener = new TcpListener(IPAddress.Parse(address), 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
