// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Calls;
using CtdbPcmk.Server.Clients;
using CtdbPcmk.Server.Cluster;
using CtdbPcmk.Server.Controls;
using CtdbPcmk.Server.Databases;
using CtdbPcmk.Server.Messaging;
using CtdbPcmk.Server.PublicAddresses;
using CtdbPcmk.Server.Recovery;
using CtdbPcmk.Server.Statistics;
using CtdbPcmk.Server.Traverse;
using CtdbPcmk.Server.Vacuum;
using CtdbPcmk.Transport;

namespace CtdbPcmk.Server;

/// <summary>
/// The daemon: creates the subsystems, wires them together and drives them from one event
/// loop. Each subsystem owns its state; this class owns only their lifetimes, the client
/// socket, Corosync's membership events and the once-a-second tick. Everything runs on the
/// loop thread.
/// </summary>
public sealed class Daemon : IDisposable
{
    private readonly DaemonOptions _options;
    private readonly Serilog.ILogger _log;
    private readonly NodeLinkSettings _linkSettings;
    private readonly HeapReturn _heapReturn;
    private UnixListener? _listener;
    private CorosyncMembership? _corosync;
    private CorosyncQuorum? _quorum;
    private readonly StalledRequestWatch _stalls;

    public Daemon(DaemonOptions options, Serilog.ILogger log)
        : this(options, log, TimeProvider.System)
    {
    }

    internal Daemon(DaemonOptions options, Serilog.ILogger log, TimeProvider time)
    {
        _options = options;
        _log = log;
        _heapReturn = new HeapReturn(log);
        Loop = new EventLoop(time);
        var tunables = new TunableSettings(options.Tunables, log);
        _linkSettings = tunables.Links;
        var statistics = new DaemonStatistics(time);
        Cluster = new ClusterState(options.Pnn, options.Nodes, options.NodePort);
        Links = new NodeLinks(Cluster, Loop, tunables, statistics, log);
        var replies = new ControlReplies(Cluster, Links, statistics);
        Messages = new MessageRouter(Cluster, Links, Loop, statistics, log, options.Limits.MaxRegistrations);
        Databases = new DatabaseRegistry(options, () => (int)tunables.Get("DatabaseHashSize"), log);
        var writer = new RecordWriter(Cluster);
        Leader = new LeaderRole(Cluster, Links, Messages, log);
        Generations = new GenerationQuorum(Cluster);
        Recovery = new RecoveryMaster(Cluster, Links, Leader, Databases, Messages, tunables, Generations, Loop, log);
        Calls = new CallEngine(Cluster, Databases, Links, writer, tunables, statistics, new PendingCallLimit(options.Limits, log),
            new ReadonlyDelegations(Cluster, Links, writer, tunables, statistics, Loop, log), new StickyRecords(tunables, Loop), Loop, log);
        var commits = new PersistentCommits(Cluster, Databases, Links, tunables, replies, writer, Recovery, Loop, log);
        var freezer = new DatabaseFreezer(Cluster, Databases, Leader, Messages, replies, Calls, tunables, Loop, log);
        Participant = new RecoveryParticipant(Cluster, Leader, Recovery, Databases, freezer, commits, Links, statistics,
            options.StateDirectory, log);
        NodeStates = new NodeStates(Cluster, Links, Leader, Recovery, Loop, log);
        _stalls = new StalledRequestWatch(Links, Calls, Loop, log);
        var traverses = new TraverseService(Cluster, Databases, Links, Messages, tunables, Loop, log);
        Vacuum = new Vacuumer(Cluster, Databases, Links, Calls, freezer, replies, tunables, Loop, log);
        writer.EmptyKept = Vacuum.Schedule;
        var databaseControls = new DatabaseControls(Cluster, Databases, Links, tunables, Loop, log);
        Clients = new ClientSessions(Loop, statistics, options.Limits, log);
        PublicAddresses = new PublicAddressTable(
            new PublicAddressHost(
                () => Cluster.Pnn,
                Cluster.ConnectedPeers,
                (pnn, opcode, data) => Links.SendControl(pnn, opcode, 0, data, static _ => { }, flags: ReqControl.FlagNoReply),
                Messages.DeliverLocal,
                Loop.AddTimer,
                log),
            new TakeoverAnnouncer(log));
        var dispatcher = new ControlDispatcher(Cluster, Links, replies, new ControlTable(new ControlTargets(
            Cluster, tunables, statistics, Clients, Messages, Leader, NodeStates, Participant, freezer, Databases,
            databaseControls, Vacuum, new SeqnumWatcher(Cluster, Databases, Links, tunables, Loop), commits, traverses,
            PublicAddresses, options.StartAsLeader, () => Loop.Post(Shutdown), log)), log);

        Links.Route(new NodeTraffic(dispatcher.Run, Messages.DeliverLocal, Calls.OnNodeCallPacket));
        Clients.Route(new ClientTraffic(dispatcher.OnClientControl, Calls.OnClientCall, Messages.Send));
        Links.NodeConnected += pnn =>
        {
            NodeStates.OnMembershipChanged();
            PublicAddresses.OnNodeConnected(pnn);
        };
        Links.NodeDisconnected += pnn =>
        {
            PublicAddresses.OnNodeGone(pnn);
            NodeStates.OnMembershipChanged();
        };
        Clients.Closed += client =>
        {
            Messages.Forget(client);
            traverses.OnClientGone(client);
            PublicAddresses.OnClientGone(client.Id);
        };
        Leader.Taken += () =>
        {
            if (Cluster.ConnectedPeers().Length != 0)
            {
                Recovery.Request("leader role taken");
            }
        };
        Leader.Lost += Recovery.Abort;
        Statistics = statistics;
    }

    // The subsystems, for the daemon's own wiring and for in-process tests.
    internal EventLoop Loop { get; }
    internal ClusterState Cluster { get; }
    internal NodeLinks Links { get; }
    internal MessageRouter Messages { get; }
    internal DatabaseRegistry Databases { get; }
    internal LeaderRole Leader { get; }
    internal RecoveryMaster Recovery { get; }

    /// <summary>Whether a generation of at most half of the nodes may be formed now (Corosync's word).</summary>
    internal GenerationQuorum Generations { get; }
    internal RecoveryParticipant Participant { get; }
    internal NodeStates NodeStates { get; }
    internal CallEngine Calls { get; }
    internal ClientSessions Clients { get; }
    internal PublicAddressTable PublicAddresses { get; }
    internal DaemonStatistics Statistics { get; }
    internal Vacuumer Vacuum { get; }

    /// <summary>Replaces the node transport (tests run several daemons in one process over an in-memory one).</summary>
    internal Func<INodeSink, INodeTransport>? NodeTransportFactory { get; init; }

    /// <summary>Runs until <paramref name="stop"/> is cancelled; returns after a clean shutdown.</summary>
    public void Run(CancellationToken stop)
    {
        // Recovery steps are awaited on this thread: their continuations go through the loop.
        SynchronizationContext.SetSynchronizationContext(new LoopSynchronizationContext(Loop));
        Start();
        using var reg = stop.Register(() => Loop.Post(Shutdown));
        Loop.Run();
        _log.Information("ctdb-pcmkd node {Pnn} stopped", _options.Pnn);
    }

    private void Start()
    {
        Cluster.SetRunState(RunState.Setup);
        Databases.AttachExistingPersistent();
        _listener = new UnixListener(Loop, _options.SocketPath, Clients.Accept);
        _log.Information("ctdb-pcmkd node {Pnn} listening on {Socket}", _options.Pnn, _options.SocketPath);

        // Alone (no other node connected) the node is its own cluster: the vnn map holds only
        // itself under a fresh generation. With other nodes configured it stays in recovery until
        // a leader's recovery takes it in: a commit it took alone now would be on this node only,
        // and the next recovery would drop it (this node's copy is not trusted after a restart).
        Cluster.AdoptVnnMap(new VnnMap(ClusterState.NewGeneration(), new[] { Cluster.Pnn }));
        Cluster.MarkRecovered();
        Cluster.SetRecoveryMode(Cluster.Nodes.Count(n => n is not null) > 1 ? RecoveryMode.Active : RecoveryMode.Normal);
        Cluster.SetRunState(RunState.Running);
        Statistics.RecoveryFinished();
        if (_options.StartAsLeader)
        {
            Leader.Set(true);
        }

        Links.Start(NodeTransportFactory?.Invoke(Links) ?? CreateNodeTransport());
        _corosync = new CorosyncMembership(Loop, Cluster.Pnn, Links.ProbePeers, Links.Hold, _log);
        _corosync.Start();
        _quorum = new CorosyncQuorum(Loop, Recovery.QuorumChanged, _log);
        _quorum.Start();
        Generations.Corosync = new CorosyncView(_corosync, _quorum);
        Vacuum.Start();
        Loop.AddTimer(TimeSpan.FromSeconds(1), Tick);
    }

    /// <summary>
    /// Links to every other node of the nodes file, or null when this node is the only one or
    /// the node port is 0 (daemons that are not to link up).
    /// </summary>
    private TcpNodeTransport? CreateNodeTransport() =>
        _options.NodePort != 0 && Cluster.Nodes.Count(n => n is not null) > 1
            ? new TcpNodeTransport(Links, _linkSettings, Loop, _log, Cluster.Nodes, Cluster.Pnn, _options.NodePort,
                _options.NodeKeyFile)
            : null;

    /// <summary>Once a second: the leader's LEADER announcement (the ctdb tool's status waits for it) and cluster check, and ban expiry.</summary>
    private void Tick()
    {
        if (Cluster.RunState == RunState.Shutdown)
        {
            return;
        }
        if (Cluster.IsLeader)
        {
            Leader.Announce();
            Recovery.CheckCluster();
        }
        NodeStates.ExpireBan();
        _stalls.Tick();
        _heapReturn.Tick();
        Loop.AddTimer(TimeSpan.FromSeconds(1), Tick);
    }

    private void Shutdown()
    {
        Cluster.SetRunState(RunState.Shutdown);
        _log.Information("Shutting down");
        Vacuum.Stop();
        Clients.CloseAll("daemon shutting down");
        _listener?.Dispose();
        _listener = null;
        Links.Dispose();
        _corosync?.Dispose();
        _corosync = null;
        _quorum?.Dispose();
        _quorum = null;
        Loop.Stop();
    }

    public void Dispose()
    {
        _listener?.Dispose();
        Links.Dispose();
        _corosync?.Dispose();
        _quorum?.Dispose();
        Clients.CloseAll("daemon disposed");
        Databases.Dispose();
        Loop.Dispose();
    }
}
