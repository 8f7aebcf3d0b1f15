// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Controls;
using CtdbPcmk.Server.Databases;
using CtdbPcmk.Server.Calls;
using CtdbPcmk.Server.Cluster;
using CtdbPcmk.Server.Messaging;
using CtdbPcmk.Transport;
using CtdbPcmk.Tdb;

namespace CtdbPcmk.Server.Recovery;

/// <summary>
/// This node's databases during a recovery: freezing (this daemon takes every chain lock of a
/// database, so smbd and other clients wait, without ever blocking the loop; a lock held by a
/// client is retried a moment later), the recovery transaction, wipe, pull and push, thaw.
/// Every control here is obeyed only from the leader of the accepted term.
/// </summary>
internal sealed partial class DatabaseFreezer(ClusterState cluster, DatabaseRegistry databases, LeaderRole leader,
    MessageRouter messages, ControlReplies replies, CallEngine calls, TunableSettings tunables, EventLoop loop,
    Serilog.ILogger log)
{
    private readonly Dictionary<uint, FrozenDatabase> _frozen = new();

    /// <summary>Whether a database is frozen on this node (all chain locks held).</summary>
    public bool IsFrozen(uint dbId) => _frozen.TryGetValue(dbId, out var s) && s.Frozen;

    public ControlReply Freeze(ControlOrigin origin, ReqControl c)
    {
        uint id = ControlData.ReadDbId(c.Data);
        if (!FromLeaderFor(origin, c, id, out var db, out var refusal))
        {
            return refusal;
        }
        if (cluster.RecoveryMode != RecoveryMode.Active)
        {
            return ControlReply.Failed("freezing needs recovery mode ACTIVE");
        }
        if (!_frozen.TryGetValue(id, out var state))
        {
            state = new FrozenDatabase();
            _frozen[id] = state;
        }
        if (state.Frozen || TryFreeze(db, state))
        {
            return ControlReply.Ok;
        }
        state.Waiters.Add(origin);
        if (state.Retry is null)
        {
            ScheduleFreezeRetry(db, state);
        }
        return ControlReply.Deferred;
    }

    private bool TryFreeze(CtdbDatabase db, FrozenDatabase state)
    {
        try
        {
            if (!db.File.TryLockAll())
            {
                return false;
            }
        }
        catch (TdbException e)
        {
            log.Error("Freezing {Db} failed: {Error}", db.Name, e.Message);
            return false;
        }
        state.Frozen = true;
        state.Attempts = 0;
        return true;
    }

    private void ScheduleFreezeRetry(CtdbDatabase db, FrozenDatabase state)
    {
        // 1 ms doubling to 8 ms: clients hold chain locks only briefly.
        int delayMs = 1 << Math.Min(state.Attempts, 3);
        state.Attempts++;
        state.Retry = loop.AddTimer(TimeSpan.FromMilliseconds(delayMs), () =>
        {
            state.Retry = null;
            if (state.Waiters.Count == 0 || !databases.TryGet(db.Id, out _))
            {
                return;
            }
            if (!TryFreeze(db, state))
            {
                ScheduleFreezeRetry(db, state);
                return;
            }
            var waiters = state.Waiters.ToArray();
            state.Waiters.Clear();
            foreach (var origin in waiters)
            {
                replies.Complete(origin, ControlReply.Ok);
            }
        });
    }

    public ControlReply Thaw(ControlOrigin origin, ReqControl c)
    {
        uint id = ControlData.ReadDbId(c.Data);
        if (!FromLeaderFor(origin, c, id, out var db, out var refusal))
        {
            return refusal;
        }
        Thaw(db);
        return ControlReply.Ok;
    }

    /// <summary>Releases a database: an open recovery transaction is cancelled, waiting freezes fail.</summary>
    private void Thaw(CtdbDatabase db)
    {
        if (!_frozen.Remove(db.Id, out var state))
        {
            return;
        }
        state.Retry?.Cancel();
        foreach (var origin in state.Waiters)
        {
            replies.Complete(origin, ControlReply.Failed("database thawed while freezing"));
        }
        if (state.PushSrvid != 0)
        {
            messages.DeregisterInternal(state.PushSrvid);
        }
        if (!state.Frozen)
        {
            return;
        }
        try
        {
            if (state.Tid is not null)
            {
                db.File.FrozenTransactionCancel();
            }
            db.File.UnlockAll();
        }
        catch (TdbException e)
        {
            log.Error("Thawing {Db}: {Error}", db.Name, e.Message);
        }
        if (db.SeqnumEnabled)
        {
            // smbd caches keyed on the TDB sequence number must see that records changed.
            db.File.IncrementSeqnumNonblock();
        }
        // Calls waiting on a migration may have been lost with the old generation.
        calls.ResendPendingCalls(db.Id);
    }

    public void ThawAll()
    {
        foreach (var id in _frozen.Keys.ToArray())
        {
            if (databases.TryGet(id, out var db))
            {
                Thaw(db);
            }
        }
    }

    public ControlReply TransactionStart(ControlOrigin origin, ReqControl c)
    {
        if (!leader.FromLeader(origin, c, out var refusal))
        {
            return refusal;
        }
        var t = TransDb.Read(c.Data);
        if (!databases.TryGet(t.DbId, out var db) || !_frozen.TryGetValue(t.DbId, out var state) || !state.Frozen)
        {
            return ControlReply.Failed($"database 0x{t.DbId:x8} is not frozen");
        }
        try
        {
            if (state.Tid is not null)
            {
                // A transaction of an interrupted recovery: start over.
                db.File.FrozenTransactionCancel();
                state.Tid = null;
            }
            db.File.FrozenTransactionStart();
        }
        catch (TdbException e)
        {
            log.Error("Recovery transaction on {Db}: {Error}", db.Name, e.Message);
            return ControlReply.Fail;
        }
        state.Tid = t.Tid;
        state.Failed = false;
        return ControlReply.Ok;
    }

    public ControlReply TransactionCommit(ControlOrigin origin, ReqControl c)
    {
        if (!OpenTransaction(origin, c, out var t, out var db, out var state, out var refusal))
        {
            return refusal;
        }
        state.Tid = null;
        try
        {
            if (state.Failed)
            {
                db.File.FrozenTransactionCancel();
                return ControlReply.Failed("the recovery transaction had failed writes");
            }
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            db.File.FrozenTransactionCommit();
            var spent = System.Diagnostics.Stopwatch.GetElapsedTime(start);
            if (spent.TotalMilliseconds >= 100)
            {
                log.Information("Recovery of {Db}: transaction committed in {Ms:F0} ms", db.Name, spent.TotalMilliseconds);
            }
        }
        catch (TdbException e)
        {
            log.Error("Committing recovery of {Db}: {Error}", db.Name, e.Message);
            return ControlReply.Fail;
        }
        db.Generation = t.Tid;
        return ControlReply.Ok;
    }

    public ControlReply TransactionCancel(ControlOrigin origin, ReqControl c)
    {
        if (!leader.FromLeader(origin, c, out var refusal))
        {
            return refusal;
        }
        uint id = ControlData.ReadDbId(c.Data);
        if (databases.TryGet(id, out var db) && _frozen.TryGetValue(id, out var state) && state.Tid is not null)
        {
            state.Tid = null;
            try
            {
                db.File.FrozenTransactionCancel();
            }
            catch (TdbException e)
            {
                log.Error("Cancelling recovery of {Db}: {Error}", db.Name, e.Message);
                return ControlReply.Fail;
            }
        }
        return ControlReply.Ok;
    }

    public ControlReply Wipe(ControlOrigin origin, ReqControl c)
    {
        if (!OpenTransaction(origin, c, out _, out var db, out var state, out var refusal))
        {
            return refusal;
        }
        try
        {
            db.File.Wipe();
        }
        catch (TdbException e)
        {
            log.Error("Wiping {Db}: {Error}", db.Name, e.Message);
            state.Failed = true;
            return ControlReply.Fail;
        }
        return ControlReply.Ok;
    }

    /// <summary>
    /// A leader's control naming a recovery transaction (TRANS_DB: db id and transaction id):
    /// true with the database and its state when that transaction is the open one.
    /// </summary>
    private bool OpenTransaction(ControlOrigin origin, ReqControl c, out TransDb t, out CtdbDatabase db,
        out FrozenDatabase state, out ControlReply refusal)
    {
        t = default;
        db = null!;
        state = null!;
        if (!leader.FromLeader(origin, c, out refusal))
        {
            return false;
        }
        t = TransDb.Read(c.Data);
        if (!databases.TryGet(t.DbId, out db) || !_frozen.TryGetValue(t.DbId, out state!) || state.Tid != t.Tid)
        {
            refusal = ControlReply.Failed($"no recovery transaction {t.Tid} on db 0x{t.DbId:x8}");
            return false;
        }
        return true;
    }

    /// <summary>A control about an attached database from the leader of the accepted term.</summary>
    private bool FromLeaderFor(ControlOrigin origin, ReqControl c, uint dbId, out CtdbDatabase db, out ControlReply refusal)
    {
        db = null!;
        if (!leader.FromLeader(origin, c, out refusal))
        {
            return false;
        }
        if (!databases.TryGet(dbId, out db))
        {
            refusal = ControlReply.Failed($"Unknown db 0x{dbId:x8}");
            return false;
        }
        return true;
    }
}
