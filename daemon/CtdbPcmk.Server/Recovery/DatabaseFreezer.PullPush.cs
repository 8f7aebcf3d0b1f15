// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Controls;
using CtdbPcmk.Server.Databases;

namespace CtdbPcmk.Server.Recovery;

/// <summary>Moving a frozen database's records: DB_PULL to the leader, DB_PUSH from it.</summary>
internal sealed partial class DatabaseFreezer
{
    /// <summary>DB_PULL: every record of a frozen database sent to the requester's srvid in rec buffers; replies the count.</summary>
    public ControlReply Pull(ControlOrigin origin, ReqControl c)
    {
        var pull = PullDbExt.Read(c.Data);
        if (!FromLeaderFor(origin, c, pull.DbId, out var db, out var refusal))
        {
            return refusal;
        }
        if (!_frozen.TryGetValue(db.Id, out var state) || !state.Frozen)
        {
            return ControlReply.Failed($"database {db.Name} is not frozen");
        }
        var batcher = new RecBufferBatcher(db.Id, (int)Math.Max(64 * 1024u, tunables.Get("RecBufferSizeLimit")));
        db.File.TraverseRead((key, value) =>
        {
            batcher.Add(key, value);
            return true;
        });
        var buffers = batcher.Finish();
        uint to = origin.SrcNode;
        foreach (var buffer in buffers)
        {
            messages.Send(to, pull.Srvid, buffer);
        }
        return ControlData.U32(batcher.Total);
    }

    /// <summary>DB_PUSH_START: records sent to the srvid are stored in the open recovery transaction.</summary>
    public ControlReply PushStart(ControlOrigin origin, ReqControl c)
    {
        var push = PullDbExt.Read(c.Data);
        if (!FromLeaderFor(origin, c, push.DbId, out var db, out var refusal))
        {
            return refusal;
        }
        if (!_frozen.TryGetValue(db.Id, out var state) || state.Tid is null)
        {
            return ControlReply.Failed($"database {db.Name} has no recovery transaction");
        }
        if (state.PushSrvid != 0)
        {
            messages.DeregisterInternal(state.PushSrvid);
        }
        state.PushSrvid = push.Srvid;
        state.Pushed = 0;
        state.PushTicks = 0;
        messages.RegisterInternal(push.Srvid, data => OnPushData(db, state, data));
        return ControlReply.Ok;
    }

    private void OnPushData(CtdbDatabase db, FrozenDatabase state, ReadOnlySpan<byte> data)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var buffer = RecBuffer.Read(data);
            foreach (var rec in buffer)
            {
                var header = rec.Header;
                header.Flags &= ~LtdbHeader.FlagRoMask;
                db.File.Store(rec.Key, header, rec.Value);
                state.Pushed++;
            }
        }
        catch (Exception e) when (e is ProtocolException or Tdb.TdbException)
        {
            log.Error("Recovery push into {Db} failed: {Error}", db.Name, e.Message);
            state.Failed = true;
        }
        state.PushTicks += System.Diagnostics.Stopwatch.GetTimestamp() - start;
    }

    /// <summary>DB_PUSH_CONFIRM: the number of records stored since DB_PUSH_START.</summary>
    public ControlReply PushConfirm(ControlOrigin origin, ReqControl c)
    {
        if (!leader.FromLeader(origin, c, out var refusal))
        {
            return refusal;
        }
        uint id = ControlData.ReadDbId(c.Data);
        if (!_frozen.TryGetValue(id, out var state) || state.PushSrvid == 0)
        {
            return ControlReply.Failed($"no push in progress for db 0x{id:x8}");
        }
        messages.DeregisterInternal(state.PushSrvid);
        state.PushSrvid = 0;
        var spent = TimeSpan.FromSeconds(state.PushTicks / (double)System.Diagnostics.Stopwatch.Frequency);
        if (spent.TotalMilliseconds >= 100)
        {
            log.Information("Recovery of {Db}: stored {Records} pushed records in {Ms:F0} ms",
                databases.TryGet(id, out var db) ? db.Name : $"0x{id:x8}", state.Pushed, spent.TotalMilliseconds);
        }
        return state.Failed ? ControlReply.Failed("storing pushed records failed") : ControlData.U32(state.Pushed);
    }
}
