// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Cluster;
using CtdbPcmk.Server.Controls;
using CtdbPcmk.Server.Recovery;
using CtdbPcmk.Server.Transport;

namespace CtdbPcmk.Server;

/// <summary>
/// The leader's recovery (ctdb-protocol §5.6): claim the term on every connected node, recovery
/// mode ACTIVE, a new generation and vnn map of the active nodes, then every database in
/// parallel: freeze, transaction, pull, merge, wipe, push, commit, thaw; recovery mode NORMAL.
/// Steps run as asynchronous controls on the loop thread; nothing waits by sleeping.
/// </summary>
public sealed partial class Daemon
{
    private RecoveryRun? _recovery;
    private bool _recoveryWanted;
    private uint _recoveryRuns;
    private uint _recoveryRunsTerm;
    private uint _recoverySrvidSeq;
    private LoopTimer? _recoveryRetry;

    /// <summary>Asks for a recovery; one in progress is abandoned and started again.</summary>
    internal void RequestRecovery(string why)
    {
        if (!_leadership.IsLeader)
        {
            return;
        }
        _recoveryWanted = true;
        if (_recovery is not null)
        {
            _recovery.Aborted = true;
            _recovery.AbortReason ??= why;
            return;
        }
        _recoveryRetry?.Cancel();
        _recoveryRetry = null;
        StartRecovery(why);
    }

    /// <summary>Abandons the recovery in progress (the role was lost or given up).</summary>
    private void AbortRecovery(string why)
    {
        _recoveryWanted = false;
        _recoveryRetry?.Cancel();
        _recoveryRetry = null;
        if (_recovery is not null)
        {
            _recovery.Aborted = true;
            _recovery.AbortReason ??= why;
        }
    }

    private void StartRecovery(string why)
    {
        _recoveryWanted = false;
        if (_recoveryRunsTerm != _leadership.Term)
        {
            _recoveryRunsTerm = _leadership.Term;
            _recoveryRuns = 0;
        }
        var run = new RecoveryRun(++_recoveryRuns, _leadership.Term) { Started = _loop.Now };
        _recovery = run;
        _log.Information("Recovery {Id} of term {Term} starts: {Why}", run.Id, run.Term, why);
        _ = DriveRecoveryAsync(run);
    }

    private async Task DriveRecoveryAsync(RecoveryRun run)
    {
        bool done = false;
        try
        {
            await RecoverAsync(run);
            done = true;
            double ms = (_loop.Now - run.Started) * 1000.0 / _loop.Time.TimestampFrequency;
            _log.Information("Recovery {Id} of term {Term} complete: generation {Generation}, nodes {Nodes}, {Ms:F1} ms",
                run.Id, run.Term, _cluster.Generation, string.Join(",", _cluster.VnnMap.Map), ms);
        }
        catch (RecoveryAbortedException e)
        {
            _log.Information("Recovery {Id} of term {Term} abandoned: {Why}", run.Id, run.Term, run.AbortReason ?? e.Message);
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
        if (!_leadership.IsLeader || _recovery is not null)
        {
            return;
        }
        if (_recoveryWanted)
        {
            StartRecovery(run.AbortReason ?? "changes during the last recovery");
        }
        else if (!done)
        {
            // A node failed a step without leaving: try again shortly rather than spin.
            _recoveryRetry = _loop.AddTimer(TimeSpan.FromMilliseconds(100), () =>
            {
                _recoveryRetry = null;
                RequestRecovery("retry after a failed recovery");
            });
        }
    }

    private void Check(RecoveryRun run)
    {
        if (run.Aborted || !_leadership.IsLeader || _leadership.Term != run.Term)
        {
            throw new RecoveryAbortedException(run.AbortReason ?? "superseded");
        }
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
        var trusted = RecoverySources.Trusted(active.ToDictionary(p => p, p => epochs[p]));
        var databases = await CollectDatabasesAsync(run, active);

        ulong epoch = RecoverySources.Epoch(run.Term, run.Id);
        await AllOkAsync(run, active, ControlOpcode.SetRecMode, tag, U32Bytes((uint)RecoveryMode.Active));
        var epochBytes = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(epochBytes, epoch);
        await AllOkAsync(run, active, ControlOpcode.StartRecovery, tag, epochBytes);
        await AttachMissingAsync(run, databases, active);

        var map = new VnnMap(ClusterState.NewGeneration(), active.ToArray());
        var mapBytes = new byte[map.EncodedSize];
        map.Write(mapBytes);
        await AllOkAsync(run, active, ControlOpcode.SetVnnMap, tag, mapBytes);

        uint dmaster = active.Contains(_cluster.Pnn) ? _cluster.Pnn : active[0];
        await Task.WhenAll(databases.Select(d => RecoverDatabaseAsync(run, tag, d, active, trusted, map.Generation, dmaster)));

        await AllOkAsync(run, active, ControlOpcode.SetRecMode, tag, U32Bytes((uint)RecoveryMode.Normal));
        await AllOkAsync(run, active, ControlOpcode.EndRecovery, tag, Array.Empty<byte>());
    }

    /// <summary>Claims the term on every connected node; returns the recovery epochs of the nodes that accepted.</summary>
    private async Task<Dictionary<uint, ulong>> ClaimAsync(RecoveryRun run)
    {
        var claim = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(claim, run.Term);
        BinaryPrimitives.WriteUInt32LittleEndian(claim.AsSpan(4), _cluster.Pnn);
        var nodes = BroadcastTargets(WireFormat.BroadcastConnected).ToList();
        var replies = await AllNodesAsync(nodes, ControlOpcode.PcmkClaimLeader, 0, claim);
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
                _leadership.Seen(theirs);
                _log.Warning("Node {Pnn} refused the claim of term {Term}: it accepted term {Theirs}", pnn, run.Term, theirs);
                refused = true;
            }
        }
        if (!refused)
        {
            _claimRetries = 0;
            return epochs;
        }
        if (_claimRetries++ < 3)
        {
            _leadership.Raise();
            SyncLeader();
            _recoveryWanted = true;
            throw new RecoveryAbortedException("claim refused; claiming a higher term");
        }
        _leadership.Release();
        SyncLeader();
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
            var reply = await NodeControlAsync(db.Holders.Min(), ControlOpcode.GetDbName, 0, U32Bytes(db.Id));
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
                attaches.Add((pnn, db, NodeControlAsync(pnn, opcode, 0, CString.Encode(db.Name))));
            }
        }
        foreach (var (pnn, db, reply) in attaches)
        {
            var r = await reply;
            if (r.Status != 0)
            {
                throw new RecoveryAbortedException($"node {pnn} cannot attach {db.Name}: {r.Error}");
            }
        }
        Check(run);
    }
}
