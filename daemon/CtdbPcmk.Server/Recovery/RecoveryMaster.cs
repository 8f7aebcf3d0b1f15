// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Cluster;
using CtdbPcmk.Server.Controls;
using CtdbPcmk.Server.Databases;
using CtdbPcmk.Server.Messaging;
using CtdbPcmk.Transport;

namespace CtdbPcmk.Server.Recovery;

/// <summary>
/// The leader's recovery (ctdb-protocol §5.6): claim the term on every connected node, recovery
/// mode ACTIVE, a new generation and vnn map of the active nodes, then every database in
/// parallel (<see cref="DatabaseRecovery"/>); recovery mode NORMAL. Also the leader's check of
/// the cluster that asks for one. Steps run as asynchronous controls on the loop thread;
/// nothing waits by sleeping.
/// </summary>
internal sealed class RecoveryMaster
{
    private readonly ClusterState _cluster;
    private readonly NodeLinks _links;
    private readonly LeaderRole _leader;
    private readonly DatabaseRegistry _databases;
    private readonly EventLoop _loop;
    private readonly Serilog.ILogger _log;
    private readonly RecoveryControls _controls;
    private readonly DatabaseRecovery _databaseRecovery;
    private readonly TunableSettings _tunables;
    private readonly RecoveryCulprits _culprits = new();
    private readonly GenerationQuorum _generations;
    private RecoveryRun? _recovery;
    private bool _recoveryWanted;
    private uint _runs;
    private uint _runsTerm;
    private LoopTimer? _retry;
    private bool _checking;

    public RecoveryMaster(ClusterState cluster, NodeLinks links, LeaderRole leader, DatabaseRegistry databases,
        MessageRouter messages, TunableSettings tunables, GenerationQuorum generations, EventLoop loop, Serilog.ILogger log)
    {
        _cluster = cluster;
        _generations = generations;
        _links = links;
        _leader = leader;
        _databases = databases;
        _loop = loop;
        _log = log;
        _tunables = tunables;
        _controls = new RecoveryControls(links, cluster, loop, tunables);
        _databaseRecovery = new DatabaseRecovery(_controls, messages, tunables, Check, log);
    }

    /// <summary>Asks for a recovery; one in progress is abandoned and started again.</summary>
    public void Request(string why)
    {
        if (!_leader.IsLeader)
        {
            return;
        }
        if (!_cluster.HasQuorum)
        {
            _log.Information("No recovery without quorum ({Why}): waiting for quorum", why);
            return;
        }
        _recoveryWanted = true;
        if (_recovery is not null)
        {
            _recovery.Aborted = true;
            _recovery.AbortReason ??= why;
            return;
        }
        _retry?.Cancel();
        _retry = null;
        Start(why);
    }

    /// <summary>Abandons the recovery in progress (the role was lost or given up).</summary>
    public void Abort(string why)
    {
        _recoveryWanted = false;
        _retry?.Cancel();
        _retry = null;
        if (_recovery is not null)
        {
            _recovery.Aborted = true;
            _recovery.AbortReason ??= why;
        }
    }

    /// <summary>
    /// Corosync's quorum changed. Without quorum this node's partition is a minority: it goes into
    /// recovery mode (persistent commits and record updates are refused, clients wait) and, as
    /// leader, runs no recovery, so the nodes it still reaches never form a generation of their
    /// own. With quorum back, a recovery takes it into the leader's generation again.
    /// </summary>
    public void QuorumChanged(bool quorate)
    {
        _cluster.SetQuorum(quorate);
        if (!quorate)
        {
            _log.Warning("This node's partition lost quorum: recovery mode, writes refused until a recovery with quorum");
            _cluster.SetRecoveryMode(RecoveryMode.Active);
            Abort("quorum lost");
            return;
        }
        _log.Information("This node's partition has quorum again");
        AskLeader();
    }

    /// <summary>Has the leader recover soon: at once when this node leads, otherwise through a recheck request.</summary>
    public void AskLeader()
    {
        if (_leader.IsLeader)
        {
            Request("recovery requested");
            return;
        }
        uint leader = _cluster.Leader;
        if (leader != WireFormat.UnknownPnn && leader != _cluster.Pnn)
        {
            _links.SendControl(leader, ControlOpcode.PcmkRecheck, 0, default, static _ => { });
        }
    }

    /// <summary>
    /// This node is part of a completed recovery of the membership it sees: recovery mode
    /// normal, the current generation committed by a leader, and the vnn map holding exactly the
    /// active nodes this node is connected to. An inactive node has nothing to recover.
    /// </summary>
    public bool IsRecovered(bool startedAsLeader)
    {
        if (_cluster.Leader == WireFormat.UnknownPnn && !startedAsLeader)
        {
            return false;
        }
        if (!_cluster.IsActive(_cluster.Pnn))
        {
            return true;
        }
        if (_cluster.RecoveryMode != RecoveryMode.Normal || _cluster.RecoveredGeneration != _cluster.Generation || _recovery is not null)
        {
            return false;
        }
        return _cluster.VnnMapMatchesActiveNodes();
    }

    /// <summary>
    /// The leader's check (every second and on PCMK_RECHECK): a recovery when this node's view
    /// of the active nodes differs from the vnn map, or when any active node is in recovery
    /// mode, has another generation or lacks a database another node has.
    /// </summary>
    public void CheckCluster()
    {
        if (!_leader.IsLeader || !_cluster.HasQuorum || _recovery is not null || _checking)
        {
            return;
        }
        var active = _cluster.ActiveNodes();
        if (!_cluster.VnnMapMatchesActiveNodes()
            || (_cluster.IsActive(_cluster.Pnn) && (_cluster.RecoveryMode == RecoveryMode.Active || _cluster.RecoveredGeneration != _cluster.Generation)))
        {
            Request("cluster check: membership or recovery state differs");
            return;
        }
        if (active.Count > 1 || !active.Contains(_cluster.Pnn))
        {
            _ = CheckNodesAsync(active);
        }
    }

    private async Task CheckNodesAsync(List<uint> active)
    {
        _checking = true;
        string? why = null;
        try
        {
            var others = active.Where(p => p != _cluster.Pnn).ToList();
            var modes = _controls.AllNodesAsync(others, ControlOpcode.GetRecMode, 0, Array.Empty<byte>());
            var maps = _controls.AllNodesAsync(others, ControlOpcode.GetVnnMap, 0, Array.Empty<byte>());
            var dbmaps = _controls.AllNodesAsync(active, ControlOpcode.GetDbMap, 0, Array.Empty<byte>());
            foreach (var (pnn, reply) in await modes)
            {
                if (reply.Status != (int)RecoveryMode.Normal)
                {
                    why ??= $"node {pnn} is in recovery mode ({reply.Status})";
                }
            }
            foreach (var (pnn, reply) in await maps)
            {
                if (reply.Status != 0 || reply.Data is null || VnnMap.Read(reply.Data).Generation != _cluster.Generation)
                {
                    why ??= $"node {pnn} has another generation";
                }
            }
            HashSet<uint>? first = null;
            foreach (var (pnn, reply) in await dbmaps)
            {
                if (reply.Status != 0 || reply.Data is null)
                {
                    why ??= $"node {pnn} did not list its databases";
                    continue;
                }
                var ids = DbMap.Read(reply.Data).Dbs.Select(d => d.DbId).ToHashSet();
                if (first is null)
                {
                    first = ids;
                }
                else if (!first.SetEquals(ids))
                {
                    why ??= $"node {pnn} has other databases";
                }
            }
        }
        catch (ProtocolException e)
        {
            why = $"bad reply: {e.Message}";
        }
        finally
        {
            _checking = false;
        }
        if (why is not null && _recovery is null)
        {
            Request($"cluster check: {why}");
        }
    }

    private void Start(string why)
    {
        _recoveryWanted = false;
        if (_runsTerm != _leader.Term)
        {
            _runsTerm = _leader.Term;
            _runs = 0;
        }
        var run = new RecoveryRun(++_runs, _leader.Term) { Started = _loop.Now };
        _recovery = run;
        _log.Information("Recovery {Id} of term {Term} starts: {Why}", run.Id, run.Term, why);
        _ = DriveAsync(run);
    }

    private async Task DriveAsync(RecoveryRun run)
    {
        bool done = false;
        bool waits = false;
        try
        {
            await RecoverAsync(run);
            done = true;
            _culprits.Clear();
            double ms = (_loop.Now - run.Started) * 1000.0 / _loop.Time.TimestampFrequency;
            _log.Information("Recovery {Id} of term {Term} complete: generation {Generation}, nodes {Nodes}, {Ms:F1} ms",
                run.Id, run.Term, _cluster.Generation, string.Join(",", _cluster.VnnMap.Map), ms);
        }
        catch (RecoveryAbortedException e)
        {
            waits = e.Waits && !run.Aborted;
            _log.Information("Recovery {Id} of term {Term} abandoned: {Why}", run.Id, run.Term, run.AbortReason ?? e.Message);
            if (e.Culprit is { } culprit && !run.Aborted && _leader.IsLeader && _leader.Term == run.Term)
            {
                Blame(culprit, e.Message);
            }
        }
        catch (Exception e)
        {
            _log.Error(e, "Recovery {Id} of term {Term} failed", run.Id, run.Term);
        }
        finally
        {
            if (ReferenceEquals(_recovery, run))
            {
                _recovery = null;
            }
        }
        if (!_leader.IsLeader || _recovery is not null)
        {
            return;
        }
        if (_recoveryWanted)
        {
            Start(run.AbortReason ?? "changes during the last recovery");
        }
        else if (!done)
        {
            // A node failed a step without leaving: try again shortly rather than spin. A
            // recovery waiting for Corosync's word tries again when Corosync has had a moment.
            _retry = _loop.AddTimer(TimeSpan.FromMilliseconds(waits ? 500 : 100), () =>
            {
                _retry = null;
                Request("retry after a failed recovery");
            });
        }
    }

    /// <summary>
    /// A recovery failed on <paramref name="pnn"/>; once that node has failed enough of them in a
    /// row (<see cref="RecoveryCulprits"/>), it is banned for RecoveryBanPeriod, so the others
    /// recover without it (its clients wait; ocf:ctdb:health reports it red, and Pacemaker moves
    /// its services). The ban ends by itself, or earlier with <c>ctdb unban</c> on that node.
    /// </summary>
    private void Blame(uint pnn, string why)
    {
        var grace = TimeSpan.FromSeconds(_tunables.Get("RecoveryGracePeriod"));
        int count = _culprits.CountOf(pnn) + 1;
        if (!_culprits.Blame(pnn, _cluster.NodeCount, _loop.Time.GetUtcNow(), grace))
        {
            return;
        }
        uint seconds = Math.Max(1u, _tunables.Get("RecoveryBanPeriod"));
        _log.Warning("Node {Pnn} failed {Count} recoveries in a row (last: {Why}): banning it for {Seconds} s", pnn, count, why, seconds);
        var ban = new byte[BanState.Size];
        new BanState(pnn, seconds).Write(ban);
        _ = BanAsync(pnn, ban);
    }

    private async Task BanAsync(uint pnn, byte[] ban)
    {
        var reply = await _controls.NodeControlAsync(pnn, ControlOpcode.SetBanState, 0, ban);
        if (reply.Status != 0)
        {
            _log.Warning("Banning node {Pnn} failed: {Error}", pnn, reply.Error ?? reply.Status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Throws when <paramref name="run"/> no longer counts: abandoned, or the role or term has gone.</summary>
    private void Check(RecoveryRun run)
    {
        if (run.Aborted || !_leader.IsLeader || _leader.Term != run.Term)
        {
            throw new RecoveryAbortedException(run.AbortReason ?? "superseded");
        }
    }

    private async Task<Dictionary<uint, ControlReply>> AllOkAsync(RecoveryRun run, IEnumerable<uint> nodes, ControlOpcode opcode, ulong srvid, byte[] data)
    {
        Check(run);
        var replies = await _controls.AllOkAsync(nodes, opcode, srvid, data);
        Check(run);
        return replies;
    }

    private async Task RecoverAsync(RecoveryRun run)
    {
        ulong tag = Leadership.TagOf(run.Term);
        var epochs = await ClaimAsync(run);
        var active = epochs.Keys.Where(_cluster.IsActive).Order().ToList();
        if (active.Count == 0)
        {
            throw new RecoveryAbortedException("no active node");
        }
        if (_generations.Refusal(active) is { } refusal)
        {
            // Meanwhile this node's clients wait, as in any recovery: the generation it has
            // cannot commit without the nodes it lost.
            if (_cluster.RecoveryMode != RecoveryMode.Active)
            {
                _cluster.SetRecoveryMode(RecoveryMode.Active);
                _log.Warning("Recovery mode ACTIVE until corosync settles: {Why}", refusal);
            }
            throw new RecoveryAbortedException(refusal) { Waits = true };
        }
        var trusted = RecoverySources.Trusted(active.ToDictionary(p => p, p => epochs[p]));
        var databases = await CollectDatabasesAsync(run, active);

        ulong epoch = RecoverySources.Epoch(run.Term, run.Id);
        await AllOkAsync(run, active, ControlOpcode.SetRecMode, tag, ControlData.U32Bytes((uint)RecoveryMode.Active));
        var epochBytes = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(epochBytes, epoch);
        await AllOkAsync(run, active, ControlOpcode.StartRecovery, tag, epochBytes);
        await AttachMissingAsync(run, databases, active);

        var map = new VnnMap(ClusterState.NewGeneration(), active.ToArray());
        var mapBytes = new byte[map.EncodedSize];
        map.Write(mapBytes);
        await AllOkAsync(run, active, ControlOpcode.SetVnnMap, tag, mapBytes);

        uint dmaster = active.Contains(_cluster.Pnn) ? _cluster.Pnn : active[0];
        await Task.WhenAll(databases.Select(d => _databaseRecovery.RecoverAsync(run, tag, d, active, trusted, map.Generation, dmaster)));

        await AllOkAsync(run, active, ControlOpcode.SetRecMode, tag, ControlData.U32Bytes((uint)RecoveryMode.Normal));
        await AllOkAsync(run, active, ControlOpcode.EndRecovery, tag, Array.Empty<byte>());
    }

    /// <summary>Claims the term on every connected node; returns the recovery epochs of the nodes that accepted.</summary>
    private async Task<Dictionary<uint, ulong>> ClaimAsync(RecoveryRun run)
    {
        var claim = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(claim, run.Term);
        BinaryPrimitives.WriteUInt32LittleEndian(claim.AsSpan(4), _cluster.Pnn);
        var nodes = _cluster.BroadcastTargets(WireFormat.BroadcastConnected).ToList();
        var replies = await _controls.AllNodesAsync(nodes, ControlOpcode.PcmkClaimLeader, 0, claim);
        Check(run);
        var epochs = new Dictionary<uint, ulong>();
        bool refused = false;
        foreach (var (pnn, reply) in replies)
        {
            if (reply.Status == 0 && reply.Data is { Length: 8 })
            {
                epochs[pnn] = BinaryPrimitives.ReadUInt64LittleEndian(reply.Data);
            }
            else if (reply.Data is { Length: 8 })
            {
                uint theirs = BinaryPrimitives.ReadUInt32LittleEndian(reply.Data);
                _leader.TermSeen(theirs);
                _log.Warning("Node {Pnn} refused the claim of term {Term}: it accepted term {Theirs}", pnn, run.Term, theirs);
                refused = true;
            }
        }
        if (!refused)
        {
            _leader.ClaimAccepted();
            return epochs;
        }
        if (_leader.RetryClaim())
        {
            _recoveryWanted = true;
            throw new RecoveryAbortedException("claim refused; claiming a higher term");
        }
        throw new RecoveryAbortedException("claims keep being refused: the leader role is given up");
    }

    private async Task<List<RecoveryDatabase>> CollectDatabasesAsync(RecoveryRun run, List<uint> active)
    {
        var maps = await AllOkAsync(run, active, ControlOpcode.GetDbMap, 0, Array.Empty<byte>());
        var byId = new Dictionary<uint, RecoveryDatabase>();
        foreach (var (pnn, reply) in maps)
        {
            foreach (var entry in DbMap.Read(reply.Data ?? Array.Empty<byte>()).Dbs)
            {
                if (!byId.TryGetValue(entry.DbId, out var db))
                {
                    db = new RecoveryDatabase(entry.DbId, entry.Flags);
                    byId[entry.DbId] = db;
                }
                db.Holders.Add(pnn);
            }
        }
        foreach (var db in byId.Values)
        {
            if (_databases.TryGet(db.Id, out var local))
            {
                db.Name = local.Name;
                continue;
            }
            var reply = await _controls.NodeControlAsync(db.Holders.Min(), ControlOpcode.GetDbName, 0, ControlData.U32Bytes(db.Id));
            Check(run);
            if (reply.Status != 0 || reply.Data is null)
            {
                throw new RecoveryAbortedException($"no name for database 0x{db.Id:x8}");
            }
            db.Name = CString.DecodeTerminated(reply.Data);
        }
        return byId.Values.OrderBy(d => d.Id).ToList();
    }

    private async Task AttachMissingAsync(RecoveryRun run, List<RecoveryDatabase> databases, List<uint> active)
    {
        var attaches = new List<(uint Pnn, RecoveryDatabase Db, Task<ControlReply> Reply)>();
        foreach (var db in databases)
        {
            var opcode = (db.Flags & DbFlags.Persistent) != 0 ? ControlOpcode.DbAttachPersistent
                : (db.Flags & DbFlags.Replicated) != 0 ? ControlOpcode.DbAttachReplicated
                : ControlOpcode.DbAttach;
            foreach (uint pnn in active.Where(p => !db.Holders.Contains(p)))
            {
                attaches.Add((pnn, db, _controls.NodeControlAsync(pnn, opcode, 0, CString.Encode(db.Name))));
            }
        }
        foreach (var (pnn, db, reply) in attaches)
        {
            var r = await reply;
            if (r.Status != 0)
            {
                throw new RecoveryAbortedException($"node {pnn} cannot attach {db.Name}: {r.Error}", pnn);
            }
        }
        Check(run);
    }
}
