// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Clients;
using CtdbPcmk.Server.Cluster;
using CtdbPcmk.Server.Databases;
using CtdbPcmk.Server.Statistics;
using CtdbPcmk.Transport;

namespace CtdbPcmk.Server.Calls;

/// <summary>
/// Calls on volatile records and their migration between nodes. A client's REQ_CALL runs here
/// when this node is the record's dmaster; otherwise the record is asked for with a node
/// REQ_CALL and the call runs once it has migrated here. This file: client calls.
/// </summary>
internal sealed partial class CallEngine(ClusterState cluster, DatabaseRegistry databases, NodeLinks links,
    RecordWriter writer, TunableSettings tunables, DaemonStatistics statistics, PendingCallLimit callLimit,
    ReadonlyDelegations delegations, StickyRecords sticky, EventLoop loop, Serilog.ILogger log)
{
    private readonly ScratchBuffer _scratch = new();
    /// <summary>The record being worked on: 24-byte header slot, then the value (loop thread only).</summary>
    private byte[] _record = new byte[1024];
    private readonly CallTable _calls = new();

    /// <summary>When the oldest call waiting for another node was started (loop timestamp), or null.</summary>
    public long? OldestPending => _calls.OldestStarted();

    /// <summary>A client's REQ_CALL.</summary>
    public void OnClientCall(ClientConnection client, PacketHeader header, ReqCall call)
    {
        if (!databases.TryGet(call.DbId, out var db))
        {
            // ctdbd drops a call for an unknown database without a reply.
            log.Warning("Client {Id} called unknown db 0x{Db:x8}; dropped", client.Id, call.DbId);
            return;
        }
        if (!db.IsVolatile)
        {
            SendCallReply(client, header.ReqId, -1, default);
            return;
        }
        statistics.Counters.TotalCalls++;
        PendingCall? pending = null;
        if (!TryClientCall(client, header.ReqId, db, call.Key, call.CallId, call.Flags, loop.Now, ref pending))
        {
            pending ??= NewPending(client, header.ReqId, db, call.Key, call.CallId, call.Flags, loop.Now);
            RetryLater(pending);
        }
    }

    /// <summary>
    /// Answers, forwards or parks a client call. Never blocks the loop: returns false when the
    /// call must be tried again (recovery running, or smbd holds the chain lock). A call that has
    /// to wait is kept in <paramref name="pending"/> (created here when null).
    /// </summary>
    private bool TryClientCall(ClientConnection? client, uint reqId, CtdbDatabase db, ReadOnlySpan<byte> key,
        uint callId, uint flags, long started, ref PendingCall? pending)
    {
        if (cluster.RecoveryMode == RecoveryMode.Active)
        {
            return false;
        }
        if (_calls.Count != 0 && _calls.TryGetInFlight(db.Id, key, out var inFlight) && tunables.Get("FetchCollapse") != 0)
        {
            // The record is already on its way here: this call runs right after that one.
            pending ??= NewPending(client, reqId, db, key, callId, flags, started);
            inFlight.Park(pending);
            return true;
        }
        if (!db.File.TryChainLock(key))
        {
            // smbd (or another client) holds the chain: the call waits, and that counts as a
            // contended lock in the database's statistics.
            pending ??= NewPending(client, reqId, db, key, callId, flags, started);
            if (pending.LockWaitStarted == 0)
            {
                pending.LockWaitStarted = loop.Now;
                db.Statistics.LockWaitStarted();
            }
            return false;
        }
        try
        {
            if (pending is { LockWaitStarted: not 0 } waited)
            {
                db.Statistics.LockTaken((double)(loop.Now - waited.LockWaitStarted) / loop.Time.TimestampFrequency);
                waited.LockWaitStarted = 0;
            }
            var header = FetchLocked(db, key, out int valueLength);
            if ((header.Flags & LtdbHeader.FlagRoMask) != 0)
            {
                bool wantsReadonly = (flags & ReqCall.FlagWantReadonly) != 0 && ReadonlyDelegations.Enabled(db);
                pending ??= NewPending(client, reqId, db, key, callId, flags, started);
                var p = pending;
                if (HoldForRevoke(db, key, ref header, valueLength, wantsReadonly, () => RetryCall(p)))
                {
                    return true;
                }
            }
            var route = CallRouter.ForClient(cluster.Pnn, header.Dmaster);
            if (route.Action == CallAction.RunLocal)
            {
                if (pending is null && client is not null)
                {
                    RunLocalCall(client, reqId, db, key, header, valueLength, callId, started);
                }
                else if (pending is null)
                {
                    throw new InvalidOperationException("a call of the daemon's own is always pending");
                }
                else
                {
                    RunWaitingCalls(pending, db, key, header, valueLength);
                }
            }
            else
            {
                pending ??= NewPending(client, reqId, db, key, callId, flags, started);
                SendCall(pending, route.DestNode);
            }
        }
        finally
        {
            db.File.ChainUnlock(key);
        }
        return true;
    }

    /// <summary>
    /// Reads a record into <see cref="_record"/> under its chain lock. A record that does not
    /// exist yet belongs to its lmaster; when that is this node the empty record is stored at
    /// once, before anything runs on it (as ctdbd).
    /// </summary>
    private LtdbHeader FetchLocked(CtdbDatabase db, ReadOnlySpan<byte> key, out int valueLength)
    {
        uint pnn = cluster.Pnn;
        int len = db.File.FetchInto(key, ref _record);
        LtdbHeader header;
        if (len >= LtdbHeader.Size)
        {
            header = LtdbHeader.Read(_record);
            valueLength = len - LtdbHeader.Size;
        }
        else
        {
            header = new LtdbHeader(0, cluster.Lmaster(key), LtdbHeader.FlagAutomatic);
            valueLength = 0;
            if (header.Dmaster == pnn)
            {
                header = writer.Store(db, key, header, default);
            }
        }
        var map = cluster.VnnMap.Map;
        if (header.Dmaster != pnn && map.Count == 1 && map[0] == pnn)
        {
            // This node is the whole cluster: whatever the record last said, it is ours.
            header.Dmaster = pnn;
        }
        return header;
    }

    /// <summary>
    /// Runs a call on a record this node masters (chain lock held; the value sits in
    /// <see cref="_record"/> after the header slot), stores it and answers the client.
    /// Returns the header as stored.
    /// </summary>
    private LtdbHeader RunLocalCall(ClientConnection client, uint reqId, CtdbDatabase db, ReadOnlySpan<byte> key,
        LtdbHeader header, int valueLength, uint callId, long started)
    {
        var value = _record.AsSpan(LtdbHeader.Size, valueLength);
        int status = 0;
        ReadOnlySpan<byte> reply = default;
        switch (callId)
        {
            case ReqCall.NullFunc:
                break;
            case ReqCall.FetchFunc:
                reply = value;
                break;
            case ReqCall.FetchWithHeaderFunc:
                header.Write(_record); // the reply carries the header as the call saw it
                reply = _record.AsSpan(0, LtdbHeader.Size + valueLength);
                break;
            default:
                status = -1;
                break;
        }
        if (status == 0)
        {
            header = writer.Store(db, key, header, value);
        }
        SendCallReply(client, reqId, status, reply);
        double seconds = (double)(loop.Now - started) / loop.Time.TimestampFrequency;
        statistics.Counters.CallLatency = statistics.Counters.CallLatency.Add(seconds);
        return header;
    }

    /// <summary>Runs a waiting call and every call parked behind it on a record now mastered here.</summary>
    private void RunWaitingCalls(PendingCall call, CtdbDatabase db, ReadOnlySpan<byte> key, LtdbHeader header, int valueLength)
    {
        header = RunPendingLocally(call, db, key, header, valueLength);
        if (call.Parked is { } parked)
        {
            call.Parked = null;
            foreach (var p in parked)
            {
                header = RunPendingLocally(p, db, key, header, valueLength);
            }
        }
    }

    private LtdbHeader RunPendingLocally(PendingCall call, CtdbDatabase db, ReadOnlySpan<byte> key, LtdbHeader header, int valueLength)
    {
        EndPending(call);
        if (call.Client is null)
        {
            call.Migrated?.Invoke(true);
            return header;
        }
        return call.Client.IsClosed
            ? header
            : RunLocalCall(call.Client, call.ReqId, db, key, header, valueLength, call.CallId, call.Started);
    }

    private PendingCall NewPending(ClientConnection? client, uint reqId, CtdbDatabase db, ReadOnlySpan<byte> key,
        uint callId, uint flags, long started)
    {
        statistics.Counters.PendingCalls++;
        if (client is not null)
        {
            callLimit.Started(client);
        }
        return new PendingCall(client, reqId, db.Id, key.ToArray(), callId, flags) { Started = started };
    }

    /// <summary>A waiting call was answered or dropped.</summary>
    private void EndPending(PendingCall call)
    {
        statistics.Counters.PendingCalls--;
        if (call.Client is not null)
        {
            callLimit.Ended(call.Client);
        }
    }

    private void RetryLater(PendingCall pending)
    {
        // 1 ms, doubling to 16 ms: smbd holds chain locks briefly.
        int delayMs = Math.Min(16, 1 << Math.Min(pending.Attempts, 4));
        pending.Attempts++;
        loop.AddTimer(TimeSpan.FromMilliseconds(delayMs), () => RetryCall(pending));
    }

    /// <summary>Routes a waiting call again from scratch (after a retry delay or a recovery).</summary>
    private void RetryCall(PendingCall pending)
    {
        if (pending.Abandoned || !databases.TryGet(pending.DbId, out var db))
        {
            if (pending.LockWaitStarted != 0 && databases.TryGet(pending.DbId, out var gone))
            {
                gone.Statistics.LockAbandoned();
            }
            EndPending(pending);
            pending.Migrated?.Invoke(false);
            ReleaseParked(pending);
            return;
        }
        PendingCall? p = pending;
        if (!TryClientCall(pending.Client, pending.ReqId, db, pending.Key, pending.CallId, pending.Flags, pending.Started, ref p))
        {
            RetryLater(pending);
        }
    }

    /// <summary>Calls parked behind one that ended without the record: each is routed on its own again.</summary>
    private void ReleaseParked(PendingCall call)
    {
        if (call.Parked is not { } parked)
        {
            return;
        }
        call.Parked = null;
        foreach (var p in parked)
        {
            p.Attempts = 0;
            RetryCall(p);
        }
    }

    private void SendCallReply(ClientConnection client, uint reqId, int status, ReadOnlySpan<byte> data)
    {
        var rc = new ReplyCall { Status = status, Data = data };
        var buffer = _scratch.Get(Packet.WireSize(rc.ContentLength));
        int size = rc.Write(buffer, new PacketHeader(0, cluster.Generation, Operation.ReplyCall, 0, cluster.Pnn, reqId));
        client.Connection.Send(buffer[..size]);
        statistics.Counters.ClientPacketsSent++;
    }
}
