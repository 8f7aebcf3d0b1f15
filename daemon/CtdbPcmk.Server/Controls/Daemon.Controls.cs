// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text;
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Clients;
using CtdbPcmk.Server.Controls;

namespace CtdbPcmk.Server;

public sealed partial class Daemon
{
    /// <summary>
    /// Origin of the control being dispatched right now. A handler that answers later copies
    /// it, returns <see cref="ControlReply.Deferred"/> and calls <see cref="CompleteControl"/>.
    /// </summary>
    private ControlOrigin CurrentOrigin { get; set; }

    private void OnClientControl(ClientConnection client, PacketHeader header, ReqControl control)
    {
        uint dest = header.DestNode;
        if (dest == WireFormat.CurrentNode || dest == _cluster.Pnn)
        {
            var origin = new ControlOrigin(client, _cluster.Pnn, header.ReqId);
            var reply = Dispatch(origin, control);
            if (!control.NoReply && !reply.IsDeferred)
            {
                SendControlReply(client, header.ReqId, reply);
            }
            return;
        }
        if (WireFormat.IsBroadcast(dest))
        {
            if (!control.NoReply)
            {
                SendControlReply(client, header.ReqId, ControlReply.Failed("broadcast control without NOREPLY"));
                return;
            }
            BroadcastControl(client, header, control);
            return;
        }
        ForwardControl(client, header, control);
    }

    /// <summary>
    /// Sends a control's reply to whoever asked: the local client, the node it came from,
    /// or the daemon's own callback. Replies to a client that has gone are dropped.
    /// </summary>
    internal void CompleteControl(ControlOrigin origin, ControlReply reply)
    {
        if (origin.Local is not null)
        {
            origin.Local(reply);
        }
        else if (origin.Client is not null)
        {
            if (!origin.Client.IsClosed)
            {
                SendControlReply(origin.Client, origin.ReqId, reply);
            }
        }
        else
        {
            SendNodeControlReply(origin.SrcNode, origin.ReqId, reply);
        }
    }

    /// <summary>Runs one control on this node. Malformed control data gets status -1, as ctdbd.</summary>
    private ControlReply Dispatch(ControlOrigin origin, ReqControl c)
    {
        var saved = CurrentOrigin;
        CurrentOrigin = origin;
        try
        {
            return DispatchCore(origin.Client, origin.ReqId, c);
        }
        catch (ProtocolException e)
        {
            _log.Warning("Control {Opcode} with bad data: {Error}", c.Opcode, e.Message);
            return ControlReply.Fail;
        }
        finally
        {
            CurrentOrigin = saved;
        }
    }

    private ControlReply DispatchCore(ClientConnection? client, uint reqId, ReqControl c)
    {
        switch (c.Opcode)
        {
            case ControlOpcode.GetPnn: return new ControlReply((int)_cluster.Pnn);
            case ControlOpcode.Ping: return new ControlReply(_clients.Count);
            case ControlOpcode.GetPid: return new ControlReply(Environment.ProcessId);
            case ControlOpcode.GetRecMode: return new ControlReply((int)_cluster.RecoveryMode);
            case ControlOpcode.GetRunState: return U32((uint)_cluster.RunState);
            case ControlOpcode.GetCapabilities: return U32(_cluster.Capabilities);
            case ControlOpcode.GetNodeMap: return Encode(_cluster.BuildNodeMap());
            case ControlOpcode.GetVnnMap: return Encode(_cluster.VnnMap);
            case ControlOpcode.Uptime: return UptimeReply();
            case ControlOpcode.Statistics: return StatisticsReply();
            case ControlOpcode.StatisticsReset: return StatisticsReset();
            case ControlOpcode.GetDebug: return U32(_debugLevel);
            case ControlOpcode.SetDebug: _debugLevel = ReadU32(c.Data); return ControlReply.Ok;
            case ControlOpcode.RegisterSrvid: return RegisterSrvid(client, c.Srvid);
            case ControlOpcode.DeregisterSrvid: return DeregisterSrvid(client, c.Srvid);
            case ControlOpcode.ProcessExists: return ProcessExists(c.Data);
            case ControlOpcode.CheckPidSrvid: return CheckPidSrvid(c.Data);
            case ControlOpcode.GetTunable: return GetTunable(c.Data);
            case ControlOpcode.SetTunable: return SetTunable(c.Data);
            case ControlOpcode.ListTunables: return ListTunables();
            case ControlOpcode.GetAllTunables: return GetAllTunables();
            case ControlOpcode.AddPublicIp: return _publicAddresses.AddPublicIp(c.Data);
            case ControlOpcode.DelPublicIp: return _publicAddresses.DelPublicIp(c.Data);
            case ControlOpcode.TakeoverIp: return _publicAddresses.TakeoverIp(c.Data);
            case ControlOpcode.ReleaseIp: return _publicAddresses.ReleaseIp(c.Data, CurrentOrigin.SrcNode);
            case ControlOpcode.GetPublicIps: return _publicAddresses.GetPublicIps(c.Flags);
            case ControlOpcode.GetPublicIpInfo: return _publicAddresses.GetPublicIpInfo(c.Data);
            case ControlOpcode.GetIfaces: return _publicAddresses.GetIfaces();
            case ControlOpcode.GetTcpTickleList: return _publicAddresses.GetTcpTickleList(c.Data);
            case ControlOpcode.SetTcpTickleList: return _publicAddresses.SetTcpTickleList(c.Data);
            case ControlOpcode.TcpClient: return client is null ? ControlReply.Failed("TCP_CLIENT is for local clients") : _publicAddresses.TcpClient(client.Id, c.Data);
            case ControlOpcode.TcpAdd or ControlOpcode.TcpAddDelayedUpdate: return _publicAddresses.TcpAdd(c.Data);
            case ControlOpcode.TcpRemove: return _publicAddresses.TcpRemove(c.Data);
            case ControlOpcode.GetReclockFile: return ControlReply.Ok;
            case ControlOpcode.GetBanState: return GetBanState();
            case ControlOpcode.SetBanState: return SetBanState(c.Data);
            case ControlOpcode.ModifyFlags: return ModifyFlags(client, c.Data);
            case ControlOpcode.DisableNode: return ChangeOwnFlags(NodeFlags.PermanentlyDisabled, 0);
            case ControlOpcode.EnableNode: return ChangeOwnFlags(0, NodeFlags.PermanentlyDisabled);
            case ControlOpcode.StopNode: return ChangeOwnFlags(NodeFlags.Stopped, 0);
            case ControlOpcode.ContinueNode: return ChangeOwnFlags(0, NodeFlags.Stopped);
            case ControlOpcode.SetRecMode: return SetRecMode(client, c);
            case ControlOpcode.SetVnnMap: return SetVnnMapControl(client, c);
            case ControlOpcode.StartRecovery: return StartRecoveryControl(client, c);
            case ControlOpcode.EndRecovery: return EndRecoveryControl(client, c);
            case ControlOpcode.DbFreeze: return DbFreeze(client, c);
            case ControlOpcode.DbThaw: return DbThaw(client, c);
            case ControlOpcode.DbTransactionStart: return DbTransactionStart(client, c);
            case ControlOpcode.DbTransactionCommit: return DbTransactionCommit(client, c);
            case ControlOpcode.DbTransactionCancel: return DbTransactionCancel(client, c);
            case ControlOpcode.WipeDatabase: return WipeDatabase(client, c);
            case ControlOpcode.DbPull: return DbPull(client, c);
            case ControlOpcode.DbPushStart: return DbPushStart(client, c);
            case ControlOpcode.DbPushConfirm: return DbPushConfirm(client, c);
            case ControlOpcode.PcmkClaimLeader: return ClaimLeader(client, c.Data);
            case ControlOpcode.RecdPing or ControlOpcode.Startup: return ControlReply.Ok;
            case ControlOpcode.StartPersistentUpdate: return PersistentUpdate(client, +1);
            case ControlOpcode.CancelPersistentUpdate: return PersistentUpdate(client, -1);
            case ControlOpcode.Shutdown: _loop.Post(Shutdown); return ControlReply.Ok;
            case ControlOpcode.PcmkSetLeaderRole: return SetLeaderRole(client, c.Data);
            case ControlOpcode.PcmkGetLeaderState: return LeaderStateReply();
            case ControlOpcode.PcmkRecheck: return Recheck(client);

            case ControlOpcode.DbAttach: return Attach(client, reqId, c, DatabaseKind.Volatile);
            case ControlOpcode.DbAttachPersistent: return Attach(client, reqId, c, DatabaseKind.Persistent);
            case ControlOpcode.DbAttachReplicated: return Attach(client, reqId, c, DatabaseKind.Replicated);
            case ControlOpcode.GetDbPath: return WithDb(c.Data, db => CStringReply(db.Path));
            case ControlOpcode.GetDbName: return WithDb(c.Data, db => CStringReply(db.Name));
            case ControlOpcode.GetDbMap: return DbMapReply();
            case ControlOpcode.DbGetHealth: return WithDb(c.Data, db => db.Unhealthy is null ? ControlReply.Ok : CStringReply(db.Unhealthy));
            case ControlOpcode.DbSetHealthy: return WithDb(c.Data, db => { db.Unhealthy = null; return ControlReply.Ok; });
            case ControlOpcode.DbOpenFlags: return WithDb(c.Data, db => U32((uint)db.File.Flags));
            case ControlOpcode.EnableSeqnum: return WithDb(c.Data, EnableSeqnum);
            case ControlOpcode.UpdateSeqnum: return WithDb(c.Data, UpdateSeqnum);
            case ControlOpcode.GetDbSeqnum: return GetDbSeqnum(c.Data);
            case ControlOpcode.SetDbReadonly: return WithDb(c.Data, SetReadonly);
            case ControlOpcode.SetDbSticky: return WithDb(c.Data, SetSticky);
            case ControlOpcode.ScheduleForDeletion: return ScheduleForDeletion(c.Data);
            case ControlOpcode.Trans3Commit: return Trans3Commit(client, c);
            case ControlOpcode.UpdateRecord: return UpdateRecordControl(c.Data);
            case ControlOpcode.TraverseStart: return TraverseStart(client, c.Data, extended: false);
            case ControlOpcode.TraverseStartExt: return TraverseStart(client, c.Data, extended: true);
            case ControlOpcode.TraverseAll: return TraverseAllControl(c.Data, extended: false);
            case ControlOpcode.TraverseAllExt: return TraverseAllControl(c.Data, extended: true);
            case ControlOpcode.TraverseData: return TraverseData(c.Data);
            case ControlOpcode.TraverseKill: return ControlReply.Ok;
            case ControlOpcode.GetDbStatistics: return WithDb(c.Data, DbStatistics);
            default:
                return NodeControl(client, c);
        }
    }

    private void SendControlReply(ClientConnection client, uint reqId, ControlReply reply)
    {
        var packet = EncodeControlReply(ReplyHeader(reqId), reply);
        client.Connection.Send(packet);
        _statistics.ClientPacketsSent++;
    }

    /// <summary>A REPLY_CONTROL packet in the scratch buffer.</summary>
    private Span<byte> EncodeControlReply(PacketHeader header, ControlReply reply)
    {
        int errLen = reply.Error is null ? 0 : Encoding.UTF8.GetByteCount(reply.Error);
        Span<byte> err = errLen <= 256 ? stackalloc byte[errLen] : new byte[errLen];
        if (reply.Error is not null)
        {
            Encoding.UTF8.GetBytes(reply.Error, err);
        }
        var rc = new ReplyControl { Status = reply.Status, Data = reply.Data, ErrorMessage = err };
        var buffer = Scratch(Packet.WireSize(rc.ContentLength));
        int size = rc.Write(buffer, header);
        return buffer[..size];
    }

    private static ControlReply U32(uint value)
    {
        var data = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(data, value);
        return ControlReply.WithData(data);
    }

    private static uint ReadU32(ReadOnlySpan<byte> data)
    {
        if (data.Length != 4)
        {
            ProtocolException.Throw($"expected 4 bytes of control data, got {data.Length}");
        }
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(data);
    }

    private static ControlReply CStringReply(string value) => ControlReply.WithData(CString.Encode(value));

    private static ControlReply Encode(NodeMap map)
    {
        var data = new byte[map.EncodedSize];
        map.Write(data);
        return ControlReply.WithData(data);
    }

    private static ControlReply Encode(VnnMap map)
    {
        var data = new byte[map.EncodedSize];
        map.Write(data);
        return ControlReply.WithData(data);
    }

    /// <summary>Runs <paramref name="action"/> for the database named by a u32 db_id (GETDBPATH etc.).</summary>
    private ControlReply WithDb(ReadOnlySpan<byte> data, Func<Databases.CtdbDatabase, ControlReply> action)
    {
        // Several controls carry the id in 4 bytes; GET_DB_SEQNUM and a few others pad it to 8.
        if (data.Length is not (4 or 8))
        {
            return ControlReply.Fail;
        }
        uint id = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(data);
        if (!_databases.TryGet(id, out var db))
        {
            return ControlReply.Failed($"Unknown db 0x{id:x8}");
        }
        return action(db);
    }
}
