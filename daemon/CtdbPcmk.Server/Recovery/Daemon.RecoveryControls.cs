// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Clients;
using CtdbPcmk.Server.Controls;
using CtdbPcmk.Server.Recovery;

namespace CtdbPcmk.Server;

/// <summary>The controls a leader's recovery sends to every node (ctdb-protocol §3.5, §5.6).</summary>
public sealed partial class Daemon
{
    private readonly Dictionary<ulong, MessageHandler> _internalSrvids = new();

    internal void RegisterInternalHandler(ulong srvid, MessageHandler handler) => _internalSrvids[srvid] = handler;

    internal void DeregisterInternalHandler(ulong srvid) => _internalSrvids.Remove(srvid);

    /// <summary>
    /// SET_RECMODE. ACTIVE from anyone (the ctdb tool's `recover` asks for a recovery this way);
    /// NORMAL only from the leader, and only once every database is at the current generation.
    /// </summary>
    private ControlReply SetRecMode(ClientConnection? client, ReqControl c)
    {
        uint mode = ReadU32(c.Data);
        if (mode == (uint)RecoveryMode.Active)
        {
            bool fromLeader = client is null && _leadership.IsFromLeader(CurrentOrigin.SrcNode, c.Srvid);
            if (_cluster.RecoveryMode != RecoveryMode.Active)
            {
                _cluster.RecoveryMode = RecoveryMode.Active;
                _log.Information("Recovery mode ACTIVE (set by {Source})", fromLeader ? "the leader" : "request");
            }
            if (!fromLeader)
            {
                AskLeaderToRecover();
            }
            return ControlReply.Ok;
        }
        if (mode != (uint)RecoveryMode.Normal)
        {
            return ControlReply.Failed($"recovery mode must be 0 or 1, not {mode}");
        }
        if (!FromLeader(client, c, out var refusal))
        {
            return refusal;
        }
        foreach (var db in _databases.All)
        {
            if (db.Generation != _cluster.Generation)
            {
                return ControlReply.Failed($"database {db.Name} is at generation {db.Generation}, not {_cluster.Generation}");
            }
        }
        ThawAll();
        _cluster.RecoveryMode = RecoveryMode.Normal;
        return ControlReply.Ok;
    }

    private ControlReply SetVnnMapControl(ClientConnection? client, ReqControl c)
    {
        if (!FromLeader(client, c, out var refusal))
        {
            return refusal;
        }
        if (_cluster.RecoveryMode != RecoveryMode.Active)
        {
            return ControlReply.Failed("SETVNNMAP needs recovery mode ACTIVE");
        }
        var map = VnnMap.Read(c.Data);
        if (map.Map.Count == 0 || map.Generation == WireFormat.InvalidGeneration || map.Map.Any(p => !_cluster.IsValidNode(p)))
        {
            return ControlReply.Failed("invalid vnn map");
        }
        _cluster.VnnMap = map;
        AcceptedVnnMaps.Add((map.Generation, CurrentOrigin.SrcNode, _leadership.Term));
        if (AcceptedVnnMaps.Count > 64)
        {
            AcceptedVnnMaps.RemoveAt(0);
        }
        return ControlReply.Ok;
    }

    /// <summary>START_RECOVERY; this product's leader adds the u64 epoch of the recovery.</summary>
    private ControlReply StartRecoveryControl(ClientConnection? client, ReqControl c)
    {
        if (!FromLeader(client, c, out var refusal))
        {
            return refusal;
        }
        _pendingEpoch = c.Data.Length == 8 ? BinaryPrimitives.ReadUInt64LittleEndian(c.Data) : 0;
        _lastRecoveryStarted = _loop.Time.GetUtcNow();
        _statistics.NumRecoveries++;
        return ControlReply.Ok;
    }

    /// <summary>END_RECOVERY: the recovery is complete on this node; interrupted commits are answered with status 2.</summary>
    private ControlReply EndRecoveryControl(ClientConnection? client, ReqControl c)
    {
        if (!FromLeader(client, c, out var refusal))
        {
            return refusal;
        }
        _lastRecoveryFinished = _loop.Time.GetUtcNow();
        _recoveredGeneration = _cluster.Generation;
        if (_pendingEpoch > _recoveredEpoch)
        {
            _recoveredEpoch = _pendingEpoch;
            SaveRecoveredEpoch();
        }
        FinishCommitsAfterRecovery();
        return ControlReply.Ok;
    }

    /// <summary>Has the leader recover soon: at once when this node leads, otherwise through a recheck request.</summary>
    private void AskLeaderToRecover()
    {
        if (_leadership.IsLeader)
        {
            RequestRecovery("recovery requested");
            return;
        }
        uint leader = _cluster.Leader;
        if (leader != WireFormat.UnknownPnn && leader != _cluster.Pnn)
        {
            SendNodeControl(leader, ControlOpcode.PcmkRecheck, 0, default, static _ => { });
        }
    }

    /// <summary>
    /// PCMK_RECHECK from a local client (the agent's notify: Pacemaker saw membership change) or
    /// another node: links to nodes that died silently are checked, and the leader checks the
    /// cluster now.
    /// </summary>
    private ControlReply Recheck(ClientConnection? client)
    {
        if (client is not null)
        {
            ProbePeers("a membership change reported by the cluster manager");
        }
        if (_leadership.IsLeader)
        {
            CheckCluster();
        }
        return ControlReply.Ok;
    }

    /// <summary>DB_PULL: every record of a frozen database sent to the requester's srvid in rec buffers; replies the count.</summary>
    private ControlReply DbPull(ClientConnection? client, ReqControl c)
    {
        if (!FromLeader(client, c, out var refusal))
        {
            return refusal;
        }
        var pull = PullDbExt.Read(c.Data);
        if (!_databases.TryGet(pull.DbId, out var db))
        {
            return ControlReply.Failed($"Unknown db 0x{pull.DbId:x8}");
        }
        if (!_frozen.TryGetValue(db.Id, out var state) || !state.Frozen)
        {
            return ControlReply.Failed($"database {db.Name} is not frozen");
        }
        var batcher = new RecBufferBatcher(db.Id, (int)Math.Max(64 * 1024u, Tunable("RecBufferSizeLimit")));
        db.File.TraverseRead((key, value) =>
        {
            batcher.Add(key, value);
            return true;
        });
        var buffers = batcher.Finish();
        uint to = CurrentOrigin.SrcNode;
        foreach (var buffer in buffers)
        {
            SendMessage(to, pull.Srvid, buffer);
        }
        return U32(batcher.Total);
    }

    /// <summary>DB_PUSH_START: records sent to the srvid are stored in the open recovery transaction.</summary>
    private ControlReply DbPushStart(ClientConnection? client, ReqControl c)
    {
        if (!FromLeader(client, c, out var refusal))
        {
            return refusal;
        }
        var push = PullDbExt.Read(c.Data);
        if (!_databases.TryGet(push.DbId, out var db))
        {
            return ControlReply.Failed($"Unknown db 0x{push.DbId:x8}");
        }
        if (!_frozen.TryGetValue(db.Id, out var state) || state.Tid is null)
        {
            return ControlReply.Failed($"database {db.Name} has no recovery transaction");
        }
        if (state.PushSrvid != 0)
        {
            DeregisterInternalHandler(state.PushSrvid);
        }
        state.PushSrvid = push.Srvid;
        state.Pushed = 0;
        RegisterInternalHandler(push.Srvid, data => OnPushData(db, state, data));
        return ControlReply.Ok;
    }

    private void OnPushData(Databases.CtdbDatabase db, FrozenDatabase state, ReadOnlySpan<byte> data)
    {
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
            _log.Error("Recovery push into {Db} failed: {Error}", db.Name, e.Message);
            state.Failed = true;
        }
    }

    /// <summary>DB_PUSH_CONFIRM: the number of records stored since DB_PUSH_START.</summary>
    private ControlReply DbPushConfirm(ClientConnection? client, ReqControl c)
    {
        if (!FromLeader(client, c, out var refusal))
        {
            return refusal;
        }
        uint id = ReadDbId(c.Data);
        if (!_frozen.TryGetValue(id, out var state) || state.PushSrvid == 0)
        {
            return ControlReply.Failed($"no push in progress for db 0x{id:x8}");
        }
        DeregisterInternalHandler(state.PushSrvid);
        state.PushSrvid = 0;
        return state.Failed ? ControlReply.Failed("storing pushed records failed") : U32(state.Pushed);
    }

    private static uint ReadDbId(ReadOnlySpan<byte> data)
    {
        if (data.Length is not (4 or 8))
        {
            ProtocolException.Throw($"expected a 4-byte db id, got {data.Length} bytes");
        }
        return BinaryPrimitives.ReadUInt32LittleEndian(data);
    }
}
