// SPDX-License-Identifier: GPL-3.0-or-later
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using CtdbPcmk.Linux.Netlink;
using CtdbPcmk.Ocf;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Conntrack.Tracker;

/// <summary>
/// The tracker process: reads conntrack events, keeps the open TCP connections to the public
/// addresses this node holds, and writes the changes into the local daemon's replicated lists
/// every commit interval. One thread owns all of this state (<see cref="Run"/>); the control
/// socket's requests and the client resets' results are queued to it.
/// </summary>
internal sealed partial class ConnectionTracker : IDisposable
{
    /// <summary>How often the held addresses are read again and a lost daemon is looked for.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait for an event before timers and requests are looked at.</summary>
    private static readonly TimeSpan s_tick = TimeSpan.FromMilliseconds(20);

    /// <summary>Chunks of datagrams taken in one go before timers and requests get a turn.</summary>
    private const int DrainBatch = 4;

    /// <summary>Kernel buffer for events (counted as the kernel accounts its buffers, well above the events' own bytes): tens of thousands of events.</summary>
    private const int EventBuffer = 64 * 1024 * 1024;

    private readonly ConntrackConfig _config;
    private readonly OcfLog _log;
    private readonly ConnectionTable _table;
    private readonly DaemonLink _daemon;
    private readonly ConntrackEventSocket _events;
    private readonly ControlServer? _control;
    private readonly Action? _commitKernelState;
    private readonly ConcurrentQueue<Action> _posted = new();
    private readonly EventPump _pump;
    private readonly Action<FlowEvent> _onFlow;
    private readonly EventPump.DatagramVisitor _onDatagram;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Addresses whose connections are tracked now: held here, and not released by reset-server.</summary>
    private HashSet<IPAddress> _tracked = new();

    /// <summary>Addresses reset-server released; untracked until the daemon no longer says this node holds them, or reset-client.</summary>
    private readonly HashSet<IPAddress> _released = new();

    /// <summary>Addresses whose closed connections are not recorded (reset-server at work).</summary>
    private readonly HashSet<IPAddress> _hold = new();

    private TimeSpan _nextCommit;
    private TimeSpan _nextRefresh;

    /// <param name="commitKernelState">Run on every takeover before the tickles (conntrackd's commit), or null.</param>
    public ConnectionTracker(ConntrackConfig config, OcfLog log, Action? commitKernelState, bool listen = true)
    {
        _config = config;
        _log = log;
        _commitKernelState = commitKernelState;
        _table = new ConnectionTable(config.MaxConnections);
        _daemon = new DaemonLink(config.CtdbSocket, log);
        _onFlow = OnFlow;
        _onDatagram = Feed;
        // Subscribe before anything is read from the socket table, so nothing falls between.
        _events = new ConntrackEventSocket(EventBuffer, s_tick);
        _pump = new EventPump(_events, log.Warning);
        try
        {
            _control = listen ? new ControlServer(config.ControlSocket, log) : null;
        }
        catch
        {
            _events.Dispose();
            throw;
        }
    }

    /// <summary>Counters for status and benchmarks.</summary>
    public TrackerCounters Counters { get; } = new();

    /// <summary>The addresses tracked now (a copy).</summary>
    public IReadOnlyCollection<IPAddress> Tracked => _tracked.ToArray();

    /// <summary>Runs until <paramref name="stop"/> is cancelled.</summary>
    public void Run(CancellationToken stop)
    {
        _control?.Start();
        _pump.Start();
        _log.Info($"tracking TCP connections to {(_config.Addresses.Count == 0 ? "every public address held here" : string.Join(", ", _config.Addresses))}, ports {(_config.Ports is null ? "all" : _config.Ports.ToString())}, commit every {_config.CommitInterval.TotalSeconds:0.###} s, at most {_config.MaxConnections} connections");
        Refresh();
        _nextCommit = _clock.Elapsed + _config.CommitInterval;
        while (!stop.IsCancellationRequested)
        {
            ReadEvents(wait: true);
            RunQueued();
            var now = _clock.Elapsed;
            if (now >= _nextRefresh)
            {
                Refresh();
            }
            if (now >= _nextCommit || _config.CommitInterval == TimeSpan.Zero)
            {
                Commit();
                _nextCommit = _clock.Elapsed + _config.CommitInterval;
            }
        }
        Commit();
        _log.Info($"stopping: {Counters}");
    }

    public void Dispose()
    {
        _control?.Dispose();
        _pump.Dispose();
        _events.Dispose();
        _daemon.Dispose();
    }

    /// <summary>Takes what the pump has read: waits one tick for the first chunk, then takes the rest without waiting.</summary>
    private void ReadEvents(bool wait)
    {
        for (int i = 0; i < DrainBatch; i++)
        {
            if (!_pump.TryTake(out var chunk, wait && i == 0 ? s_tick : TimeSpan.Zero))
            {
                if (_pump.Failure is { } failure)
                {
                    throw new InvalidOperationException($"reading conntrack events failed: {failure.Message}", failure);
                }
                return;
            }
            if (chunk.Overrun)
            {
                Counters.Overruns++;
                _log.Warning("the kernel dropped conntrack events (receive buffer full): re-reading the socket table");
                Reconcile();
                continue;
            }
            _pump.Consume(chunk, _onDatagram);
        }
    }

    /// <summary>Feeds recorded event datagrams, as if the kernel had sent them (benchmarks and tests).</summary>
    public void Feed(ReadOnlySpan<byte> datagram) => Counters.Messages += ConntrackMessage.ForEach(datagram, _onFlow);

    private void OnFlow(FlowEvent flow)
    {
        var server = DaemonLink.Canonical(flow.Server.Address);
        if (!_tracked.Contains(server) || !_config.TracksPort(flow.Server.Port))
        {
            return;
        }
        var connection = new CtdbConnection(new IPEndPoint(DaemonLink.Canonical(flow.Client.Address), flow.Client.Port), new IPEndPoint(server, flow.Server.Port));
        if (flow.Change == FlowChange.Opened)
        {
            if (_table.Open(connection))
            {
                Counters.Opened++;
            }
        }
        else if (!_hold.Contains(server) && _table.Close(connection))
        {
            Counters.Closed++;
        }
    }

    /// <summary>Writes the changes since the last commit; on failure they are dropped and the whole table goes again once the daemon is back.</summary>
    public void Commit()
    {
        long forgotten = _table.TakeForgotten();
        if (forgotten > 0)
        {
            Counters.Forgotten += forgotten;
            _log.Warning($"{forgotten} connection(s) forgotten, the oldest first: more than max_connections={_config.MaxConnections} open");
        }
        if (_table.NeedsResync)
        {
            _table.NeedsResync = false;
            _log.Warning($"more than {_config.MaxConnections} unwritten changes: the daemon gets the whole table again");
            foreach (var address in _tracked)
            {
                Resync(address, removeStale: true);
            }
            return;
        }
        if (_table.PendingCount == 0)
        {
            return;
        }
        if (!_daemon.IsUp)
        {
            _table.DropPending();
            return;
        }
        var changes = _table.TakePending();
        if (_daemon.Write(changes, out int skipped))
        {
            Counters.Committed += changes.Count;
            Counters.Commits++;
            if (skipped > 0)
            {
                _log.Debug($"{skipped} change(s) for addresses another node holds were not applied");
            }
        }
    }

    private void RunQueued()
    {
        while (_posted.TryDequeue(out var action))
        {
            action();
        }
        if (_control is null)
        {
            return;
        }
        while (_control.Requests.TryTake(out var request))
        {
            Handle(request);
        }
    }
}
