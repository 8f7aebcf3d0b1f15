// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Clients;
using CtdbPcmk.Server.Cluster;
using CtdbPcmk.Server.Databases;
using CtdbPcmk.Server.PublicAddresses;
using CtdbPcmk.Server.Transport;

namespace CtdbPcmk.Server;

/// <summary>
/// The daemon: owns the event loop, the client socket, the databases and the cluster state.
/// Everything below runs on the loop thread.
/// </summary>
public sealed partial class Daemon : IDisposable
{
    private readonly DaemonOptions _options;
    private readonly Serilog.ILogger _log;
    private readonly EventLoop _loop;
    private readonly ClusterState _cluster;
    private readonly DatabaseRegistry _databases;
    private readonly PublicAddressTable _publicAddresses;
    private readonly SrvidRegistry _srvids = new();
    private readonly Dictionary<uint, ClientConnection> _clients = new();
    private readonly TunableList _tunables = TunableList.CreateDefaults();
    private CtdbStatistics _statistics = new();
    private readonly DateTimeOffset _startTime;
    private DateTimeOffset _lastRecoveryStarted;
    private DateTimeOffset _lastRecoveryFinished;
    private UnixListener? _listener;
    private CorosyncMembership? _corosync;
    private uint _nextClientId = 1;
    private uint _debugLevel = 2;
    private byte[] _scratch = new byte[64 * 1024];

    public Daemon(DaemonOptions options, Serilog.ILogger log)
        : this(options, log, TimeProvider.System)
    {
    }

    internal Daemon(DaemonOptions options, Serilog.ILogger log, TimeProvider time)
    {
        _options = options;
        _log = log;
        _loop = new EventLoop(time);
        _startTime = time.GetUtcNow();
        _lastRecoveryStarted = _startTime;
        _lastRecoveryFinished = _startTime;
        foreach (var (name, value) in options.Tunables)
        {
            if (!_tunables.TrySet(name, value, out _))
            {
                throw new ArgumentException($"unknown tunable {name}");
            }
        }
        _cluster = new ClusterState(options.Pnn, options.Nodes, options.NodePort);
        _leadership = new Leadership(options.Pnn);
        _databases = new DatabaseRegistry(options, () => (int)Tunable("DatabaseHashSize"), log);
        _statistics.StatisticsStartTime = Timeval.FromDateTimeOffset(_startTime);
        _publicAddresses = new PublicAddressTable(
            new PublicAddressHost(
                () => _cluster.Pnn,
                () => BroadcastTargets(WireFormat.BroadcastConnected).Where(p => p != _cluster.Pnn).ToArray(),
                (pnn, opcode, data) => SendNodeControl(pnn, opcode, 0, data, static _ => { }, flags: ReqControl.FlagNoReply),
                DeliverLocal,
                _loop.AddTimer,
                log),
            new TakeoverAnnouncer(log));
    }

    /// <summary>Runs until <paramref name="stop"/> is cancelled; returns after a clean shutdown.</summary>
    public void Run(CancellationToken stop)
    {
        // Recovery steps are awaited on this thread: their continuations go through the loop.
        SynchronizationContext.SetSynchronizationContext(new Transport.LoopSynchronizationContext(_loop));
        Start();
        using var reg = stop.Register(() => _loop.Post(Shutdown));
        _loop.Run();
        _log.Information("ctdb-pcmkd node {Pnn} stopped", _options.Pnn);
    }

    private void Start()
    {
        _cluster.RunState = RunState.Setup;
        _databases.AttachExistingPersistent();
        _listener = new UnixListener(_loop, _options.SocketPath, OnAccept);
        _log.Information("ctdb-pcmkd node {Pnn} listening on {Socket}", _options.Pnn, _options.SocketPath);
        StartCluster();
        _nodeLinks = NodeTransportFactory?.Invoke(this) ?? CreateNodeTransport();
        _nodeLinks?.Start();
        _corosync = new CorosyncMembership(_loop, ProbePeers, _log);
        _corosync.Start();
        _loop.AddTimer(TimeSpan.FromSeconds(1), LeaderTick);
    }

    private void Shutdown()
    {
        _cluster.RunState = RunState.Shutdown;
        _log.Information("Shutting down");
        foreach (var client in _clients.Values.ToArray())
        {
            client.Connection.Close("daemon shutting down");
        }
        _listener?.Dispose();
        _listener = null;
        _nodeLinks?.Dispose();
        _nodeLinks = null;
        _corosync?.Dispose();
        _corosync = null;
        _loop.Stop();
    }

    /// <summary>Replaces the node transport (tests run several daemons in one process over an in-memory one).</summary>
    internal Func<Daemon, INodeTransport>? NodeTransportFactory { get; init; }

    internal uint Tunable(string name) =>
        _tunables.TryGet(name, out uint v) ? v : throw new ArgumentException($"unknown tunable {name}");

    /// <summary>A reusable output buffer of at least <paramref name="size"/> bytes (loop thread only).</summary>
    private Span<byte> Scratch(int size)
    {
        if (_scratch.Length < size)
        {
            _scratch = new byte[Math.Max(size, _scratch.Length * 2)];
        }
        return _scratch.AsSpan(0, size);
    }

    private PacketHeader ReplyHeader(uint reqId) =>
        new(0, _cluster.Generation, Operation.ReplyControl, 0, _cluster.Pnn, reqId);

    public void Dispose()
    {
        _listener?.Dispose();
        _nodeLinks?.Dispose();
        _corosync?.Dispose();
        foreach (var client in _clients.Values.ToArray())
        {
            client.Connection.Close("daemon disposed");
        }
        _databases.Dispose();
        _loop.Dispose();
    }
}
