// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Databases;

namespace CtdbPcmk.Server.Calls;

/// <summary>
/// Call-family packets from other nodes: REQ_CALL (redirect towards the dmaster, or give the
/// record away), REQ_DMASTER at the lmaster, REPLY_DMASTER at the new dmaster, REPLY_CALL and
/// REPLY_ERROR for calls this node sent. Record headers change only under the chain lock; a
/// packet that finds its chain locked (or arrives during recovery) waits and is tried again.
/// </summary>
internal sealed partial class CallEngine
{
    /// <summary>Call-family packets from another generation are dropped, as in ctdbd.</summary>
    public void OnNodeCallPacket(uint from, PacketHeader header, ReadOnlySpan<byte> packet)
    {
        switch (header.Operation)
        {
            case Operation.ReqCall: statistics.Counters.NodeReqCall++; break;
            case Operation.ReplyCall: statistics.Counters.NodeReplyCall++; break;
            case Operation.ReqDmaster: statistics.Counters.NodeReqDmaster++; break;
            case Operation.ReplyDmaster: statistics.Counters.NodeReplyDmaster++; break;
            case Operation.ReplyError: statistics.Counters.NodeReplyError++; break;
        }
        if (!IsCurrentGeneration(header))
        {
            log.Debug("{Op} from node {Pnn} for generation {Gen} (ours {Ours}) dropped", header.Operation, from, header.Generation, cluster.Generation);
            return;
        }
        if (!TryNodeCall(header, packet))
        {
            DeferNodeCall(from, packet.ToArray(), 0);
        }
    }

    private bool IsCurrentGeneration(PacketHeader header) =>
        header.Operation == Operation.ReplyError || header.Generation == cluster.Generation;

    /// <summary>Handles one packet; false when it must wait (recovery running or chain locked).</summary>
    private bool TryNodeCall(PacketHeader header, ReadOnlySpan<byte> packet)
    {
        switch (header.Operation)
        {
            case Operation.ReqCall:
                return TryNodeReqCall(header, packet);
            case Operation.ReqDmaster:
                return TryNodeReqDmaster(header, packet);
            case Operation.ReplyDmaster:
                return TryNodeReplyDmaster(header, packet);
            case Operation.ReplyCall:
                return OnNodeReplyCall(header, ReplyCall.Read(packet));
            default:
                OnNodeReplyError(header, ReplyError.Read(packet));
                return true;
        }
    }

    private void DeferNodeCall(uint from, byte[] packet, int attempts)
    {
        int delayMs = Math.Min(16, 1 << Math.Min(attempts, 4));
        loop.AddTimer(TimeSpan.FromMilliseconds(delayMs), () =>
        {
            var header = PacketHeader.Read(packet);
            if (!IsCurrentGeneration(header))
            {
                log.Debug("Deferred {Op} from node {Pnn} outlived its generation {Gen}; dropped", header.Operation, from, header.Generation);
                return;
            }
            if (!TryNodeCall(header, packet))
            {
                DeferNodeCall(from, packet, attempts + 1);
            }
        });
    }

    /// <summary>False while calls must wait: recovery is rebuilding the databases.</summary>
    private bool CallsMayRun => cluster.RecoveryMode != RecoveryMode.Active;

    private bool TryNodeReqCall(PacketHeader header, ReadOnlySpan<byte> packet)
    {
        var c = ReqCall.Read(packet);
        if (!databases.TryGet(c.DbId, out var db))
        {
            SendReplyError(header, $"Unknown database in request. db_id==0x{c.DbId:x8}");
            return true;
        }
        if (!CallsMayRun)
        {
            return false;
        }
        if (db.IsSticky && header.SrcNode != cluster.Pnn)
        {
            byte[] held = packet.ToArray();
            if (sticky.HoldIfPinned(db, c.Key, () => RequeueNodeCall(header.SrcNode, held)))
            {
                return true;
            }
        }
        if (!db.File.TryChainLock(c.Key))
        {
            return false;
        }
        try
        {
            var record = FetchLocked(db, c.Key, out int valueLength);
            bool wantsReadonly = (c.Flags & ReqCall.FlagWantReadonly) != 0 && ReadonlyDelegations.Enabled(db);
            if ((record.Flags & LtdbHeader.FlagRoMask) != 0)
            {
                byte[] held = packet.ToArray();
                if (HoldForRevoke(db, c.Key, ref record, valueLength, wantsReadonly, () => RequeueNodeCall(header.SrcNode, held)))
                {
                    return true;
                }
            }
            uint lmaster = cluster.Lmaster(c.Key);
            var route = CallRouter.ForNode(cluster.Pnn, header.SrcNode, record.Dmaster, lmaster);
            CountHops(c.HopCount);
            if (route.Action != CallAction.Redirect)
            {
                db.Statistics.CallServed(c.HopCount);
                sticky.CallServed(db, c.Key, c.HopCount);
            }
            var value = _record.AsSpan(LtdbHeader.Size, valueLength);
            if (wantsReadonly && c.CallId == ReqCall.FetchWithHeaderFunc && route.Action is CallAction.MigrateByReply or CallAction.MigrateByRequest)
            {
                // The record stays here; the caller gets a read-only copy.
                var copy = delegations.Grant(db, c.Key, record, value, header.SrcNode);
                SendNodeReplyCall(header.SrcNode, header.ReqId, copy, value);
                return true;
            }
            switch (route.Action)
            {
                case CallAction.Redirect:
                    RedirectCall(packet, route.DestNode, c.HopCount + 1);
                    break;
                case CallAction.RunLocal:
                    CompleteOwnCall(header.ReqId, db, c.Key, record, valueLength);
                    break;
                case CallAction.MigrateByReply:
                    MarkMigrated(ref record, valueLength);
                    record.Dmaster = header.SrcNode;
                    record = writer.Store(db, c.Key, record, value);
                    SendReplyDmaster(header.SrcNode, header.ReqId, db.Id, record.Rsn, c.Key, value, record.Flags);
                    break;
                case CallAction.MigrateByRequest:
                    MarkMigrated(ref record, valueLength);
                    record.Flags &= ~(LtdbHeader.FlagAutomatic | LtdbHeader.FlagVacuumMigrated);
                    SendReqDmaster(lmaster, header.ReqId, db.Id, record.Rsn, header.SrcNode, c.Key, value, record.Flags);
                    record.Dmaster = header.SrcNode;
                    writer.Store(db, c.Key, record, value);
                    break;
            }
        }
        finally
        {
            db.File.ChainUnlock(c.Key);
        }
        return true;
    }

    /// <summary>A record that leaves with data says so, so an empty copy is never taken for a deletion.</summary>
    private static void MarkMigrated(ref LtdbHeader record, int valueLength)
    {
        if (valueLength != 0)
        {
            record.Flags |= LtdbHeader.FlagMigratedWithData;
        }
    }

    /// <summary>This node's own call came back to it, and the record is here now: run it.</summary>
    private void CompleteOwnCall(uint reqId, CtdbDatabase db, ReadOnlySpan<byte> key, LtdbHeader record, int valueLength)
    {
        if (!_calls.TryGet(reqId, out var call) || call.DbId != db.Id || !key.SequenceEqual(call.Key))
        {
            log.Debug("Own call {ReqId} for db 0x{Db:x8} is no longer pending", reqId, db.Id);
            return;
        }
        _calls.Remove(call);
        RunWaitingCalls(call, db, key, record, valueLength);
    }

    private bool TryNodeReqDmaster(PacketHeader header, ReadOnlySpan<byte> packet)
    {
        var d = ReqDmaster.Read(packet);
        if (!databases.TryGet(d.DbId, out var db))
        {
            SendReplyError(header, $"Unknown database in request. db_id==0x{d.DbId:x8}");
            return true;
        }
        if (!CallsMayRun || !db.File.TryChainLock(d.Key))
        {
            return false;
        }
        try
        {
            var record = FetchLocked(db, d.Key, out _);
            uint pnn = cluster.Pnn;
            switch (CallRouter.CheckReqDmaster(pnn, cluster.Lmaster(d.Key), header.SrcNode, record.Dmaster, record.Rsn))
            {
                case DmasterCheck.NotLmaster:
                    log.Error("REQ_DMASTER for db 0x{Db:x8} from node {Src} reached node {Pnn}, which is not the key's lmaster; dropped",
                        d.DbId, header.SrcNode, pnn);
                    return true;
                case DmasterCheck.NotDmaster:
                    // Two nodes believe they hold the record: only a recovery can settle it.
                    log.Error("REQ_DMASTER for db 0x{Db:x8} from node {Src}, but node {Dmaster} is the recorded dmaster (rsn {Rsn}); recovery needed",
                        d.DbId, header.SrcNode, record.Dmaster, record.Rsn);
                    cluster.SetRecoveryMode(RecoveryMode.Active);
                    return true;
            }
            if (d.Dmaster == pnn)
            {
                BecomeDmaster(header.ReqId, db, d.Key, d.Data, d.Rsn, d.RecordFlags);
            }
            else
            {
                var stored = writer.Store(db, d.Key, new LtdbHeader(d.Rsn, d.Dmaster, d.RecordFlags), d.Data);
                SendReplyDmaster(d.Dmaster, header.ReqId, db.Id, stored.Rsn, d.Key, d.Data, stored.Flags);
            }
        }
        finally
        {
            db.File.ChainUnlock(d.Key);
        }
        return true;
    }

    private bool TryNodeReplyDmaster(PacketHeader header, ReadOnlySpan<byte> packet)
    {
        var r = ReplyDmaster.Read(packet);
        if (!databases.TryGet(r.DbId, out var db))
        {
            log.Warning("REPLY_DMASTER for unknown db 0x{Db:x8} from node {Src}; dropped", r.DbId, header.SrcNode);
            return true;
        }
        if (!CallsMayRun || !db.File.TryChainLock(r.Key))
        {
            return false;
        }
        try
        {
            BecomeDmaster(header.ReqId, db, r.Key, r.Data, r.Rsn, r.RecordFlags);
        }
        finally
        {
            db.File.ChainUnlock(r.Key);
        }
        return true;
    }

    /// <summary>
    /// The record has migrated here (chain lock held): store it as ours with the rsn it came
    /// with, then run the call that asked for it and the calls parked behind that one.
    /// The record is stored even when no call waits any more: the lmaster already names this
    /// node as its dmaster.
    /// </summary>
    private void BecomeDmaster(uint reqId, CtdbDatabase db, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, ulong rsn, uint flags)
    {
        bool ours = _calls.TryGet(reqId, out var call) && call.DbId == db.Id && key.SequenceEqual(call.Key);
        if (ours && (call.Flags & ReqCall.FlagVacuumMigration) != 0)
        {
            flags |= LtdbHeader.FlagVacuumMigrated;
        }
        int need = LtdbHeader.Size + data.Length;
        if (_record.Length < need)
        {
            _record = new byte[Math.Max(need, _record.Length * 2)];
        }
        data.CopyTo(_record.AsSpan(LtdbHeader.Size));
        var header = writer.Store(db, key, new LtdbHeader(rsn, cluster.Pnn, flags), _record.AsSpan(LtdbHeader.Size, data.Length));
        if (!ours)
        {
            log.Debug("Record of db 0x{Db:x8} migrated here for call {ReqId}, which no longer waits", db.Id, reqId);
            return;
        }
        _calls.Remove(call);
        db.Statistics.Migrated(key, loop.Now, loop.Time.TimestampFrequency);
        sticky.Arrived(db, key);
        RunWaitingCalls(call, db, key, header, data.Length);
    }

    /// <summary>
    /// A REPLY_CALL for a call this node sent (the dmaster granted a read-only copy): the copy is
    /// kept when newer, and the client gets the value (without the header when it asked FETCH_FUNC).
    /// False when the chain is locked (the packet is tried again).
    /// </summary>
    private bool OnNodeReplyCall(PacketHeader header, ReplyCall reply)
    {
        if (!_calls.TryGet(header.ReqId, out var call))
        {
            log.Debug("REPLY_CALL {ReqId} from node {Src} for no pending call", header.ReqId, header.SrcNode);
            return true;
        }
        var data = reply.Data;
        if (call.ReadonlyFetch && reply.Status == 0)
        {
            if (!StoreReadonlyCopy(call, data))
            {
                return false;
            }
            if (call.CallId == ReqCall.FetchFunc && data.Length >= LtdbHeader.Size)
            {
                data = data[LtdbHeader.Size..];
            }
        }
        _calls.Remove(call);
        EndPending(call);
        if (call.Client is { IsClosed: false } client)
        {
            SendCallReply(client, call.ReqId, reply.Status, data);
        }
        // The record did not come here (the call ran where it was).
        call.Migrated?.Invoke(false);
        ReleaseParked(call);
        return true;
    }

    /// <summary>
    /// A node could not serve a call this node sent. The client gets status -1 rather than
    /// waiting forever; calls parked behind it are routed again on their own.
    /// </summary>
    private void OnNodeReplyError(PacketHeader header, ReplyError error)
    {
        if (!_calls.TryGet(header.ReqId, out var call))
        {
            log.Warning("REPLY_ERROR {ReqId} from node {Src}: {Message}", header.ReqId, header.SrcNode, error.MessageText());
            return;
        }
        log.Warning("Call {ReqId} for db 0x{Db:x8} failed on node {Src}: {Message}", header.ReqId, call.DbId, header.SrcNode, error.MessageText());
        _calls.Remove(call);
        EndPending(call);
        if (call.Client is { IsClosed: false } client)
        {
            SendCallReply(client, call.ReqId, -1, default);
        }
        call.Migrated?.Invoke(false);
        ReleaseParked(call);
    }

    private void CountHops(uint hopCount)
    {
        if (hopCount > statistics.Counters.MaxHopCount)
        {
            statistics.Counters.MaxHopCount = hopCount;
        }
        int bucket = 0;
        for (uint n = hopCount; n != 0; n >>= 1)
        {
            bucket++;
        }
        var buckets = statistics.Counters.HopCountBucket;
        buckets[Math.Min(bucket, buckets.Length - 1)]++;
    }
}
