// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Clients;
using CtdbPcmk.Server.Cluster;
using CtdbPcmk.Server.Databases;
using CtdbPcmk.Server.Messaging;
using CtdbPcmk.Server.PublicAddresses;
using CtdbPcmk.Server.Recovery;
using CtdbPcmk.Server.Statistics;
using CtdbPcmk.Server.Traverse;

namespace CtdbPcmk.Server.Controls;

/// <summary>The subsystems controls reach, handed to <see cref="ControlTable"/> by the daemon.</summary>
internal sealed record ControlTargets(
    ClusterState Cluster,
    TunableSettings Tunables,
    DaemonStatistics Statistics,
    ClientSessions Clients,
    MessageRouter Messages,
    LeaderRole Leader,
    NodeStates NodeStates,
    RecoveryParticipant Recovery,
    DatabaseFreezer Freezer,
    DatabaseRegistry Databases,
    DatabaseControls DatabaseControls,
    Vacuum.Vacuumer Vacuum,
    SeqnumWatcher Seqnums,
    PersistentCommits Commits,
    TraverseService Traverses,
    PublicAddressTable PublicAddresses,
    bool StartedAsLeader,
    Action RequestShutdown,
    Serilog.ILogger Log);

/// <summary>
/// Every control this node runs, by opcode, and the subsystem that answers it. Only the
/// debug level (GET/SET_DEBUG) lives here; everything else belongs to its subsystem.
/// </summary>
internal sealed class ControlTable(ControlTargets t)
{
    private uint _debugLevel = 2;

    public ControlReply Run(ControlOrigin origin, ReqControl c)
    {
        var client = origin.Client;
        var db = t.DatabaseControls;
        switch (c.Opcode)
        {
            case ControlOpcode.GetPnn: return new ControlReply((int)t.Cluster.Pnn);
            case ControlOpcode.Ping: return new ControlReply(t.Clients.Count);
            case ControlOpcode.GetPid: return new ControlReply(Environment.ProcessId);
            case ControlOpcode.GetRecMode: return new ControlReply((int)t.Cluster.RecoveryMode);
            case ControlOpcode.GetRunState: return ControlData.U32((uint)t.Cluster.RunState);
            case ControlOpcode.GetCapabilities: return ControlData.U32(t.Cluster.Capabilities);
            case ControlOpcode.GetNodeMap: return ControlData.Encode(t.Cluster.BuildNodeMap());
            case ControlOpcode.GetVnnMap: return ControlData.Encode(t.Cluster.VnnMap);
            case ControlOpcode.Uptime: return t.Statistics.UptimeReply();
            case ControlOpcode.Statistics: return t.Statistics.Reply(t.Clients.Count, t.Cluster.RecoveryMode == RecoveryMode.Active);
            case ControlOpcode.StatisticsReset:
                foreach (var d in t.Databases.All)
                {
                    d.Statistics.Reset();
                }
                return t.Statistics.Reset();
            case ControlOpcode.GetDebug: return ControlData.U32(_debugLevel);
            case ControlOpcode.SetDebug: _debugLevel = ControlData.ReadU32(c.Data); return ControlReply.Ok;
            case ControlOpcode.RegisterSrvid: return t.Messages.RegisterSrvid(client, c.Srvid);
            case ControlOpcode.DeregisterSrvid: return t.Messages.DeregisterSrvid(client, c.Srvid);
            case ControlOpcode.ProcessExists: return t.Clients.ProcessExists(c.Data, t.Commits.HasUnsettled);
            case ControlOpcode.CheckPidSrvid: return t.Messages.CheckPidSrvid(c.Data);
            case ControlOpcode.GetTunable: return t.Tunables.GetTunable(c.Data);
            case ControlOpcode.SetTunable: return t.Tunables.SetTunable(c.Data);
            case ControlOpcode.ListTunables: return TunableSettings.ListTunables();
            case ControlOpcode.GetAllTunables: return t.Tunables.GetAllTunables();
            case ControlOpcode.AddPublicIp: return t.PublicAddresses.AddPublicIp(c.Data);
            case ControlOpcode.DelPublicIp: return t.PublicAddresses.DelPublicIp(c.Data);
            case ControlOpcode.TakeoverIp: return t.PublicAddresses.TakeoverIp(c.Data);
            case ControlOpcode.ReleaseIp: return t.PublicAddresses.ReleaseIp(c.Data, origin.SrcNode);
            case ControlOpcode.GetPublicIps: return t.PublicAddresses.GetPublicIps(c.Flags);
            case ControlOpcode.GetPublicIpInfo: return t.PublicAddresses.GetPublicIpInfo(c.Data);
            case ControlOpcode.GetIfaces: return t.PublicAddresses.GetIfaces();
            case ControlOpcode.GetTcpTickleList: return t.PublicAddresses.GetTcpTickleList(c.Data);
            case ControlOpcode.SetTcpTickleList: return t.PublicAddresses.SetTcpTickleList(c.Data);
            case ControlOpcode.TcpClient: return client is null ? ControlReply.Failed("TCP_CLIENT is for local clients") : t.PublicAddresses.TcpClient(client.Id, c.Data);
            case ControlOpcode.TcpAdd or ControlOpcode.TcpAddDelayedUpdate: return t.PublicAddresses.TcpAdd(c.Data);
            case ControlOpcode.TcpRemove: return t.PublicAddresses.TcpRemove(c.Data);
            case ControlOpcode.PcmkTcpUpdate: return t.PublicAddresses.TcpUpdate(c.Data, fromLocalClient: client is not null);
            case ControlOpcode.GetReclockFile: return ControlReply.Ok;
            case ControlOpcode.GetBanState: return t.NodeStates.GetBanState();
            case ControlOpcode.SetBanState: return t.NodeStates.SetBanState(c.Data);
            case ControlOpcode.ModifyFlags: return t.NodeStates.ModifyFlags(client, c.Data);
            case ControlOpcode.DisableNode: return t.NodeStates.ChangeOwnFlags(NodeFlags.PermanentlyDisabled, 0);
            case ControlOpcode.EnableNode: return t.NodeStates.ChangeOwnFlags(0, NodeFlags.PermanentlyDisabled);
            case ControlOpcode.StopNode: return t.NodeStates.ChangeOwnFlags(NodeFlags.Stopped, 0);
            case ControlOpcode.ContinueNode: return t.NodeStates.ChangeOwnFlags(0, NodeFlags.Stopped);
            case ControlOpcode.SetRecMode: return t.Recovery.SetRecMode(origin, c);
            case ControlOpcode.SetVnnMap: return t.Recovery.SetVnnMap(origin, c);
            case ControlOpcode.StartRecovery: return t.Recovery.StartRecovery(origin, c);
            case ControlOpcode.EndRecovery: return t.Recovery.EndRecovery(origin, c);
            case ControlOpcode.DbFreeze: return t.Freezer.Freeze(origin, c);
            case ControlOpcode.DbThaw: return t.Freezer.Thaw(origin, c);
            case ControlOpcode.DbTransactionStart: return t.Freezer.TransactionStart(origin, c);
            case ControlOpcode.DbTransactionCommit: return t.Freezer.TransactionCommit(origin, c);
            case ControlOpcode.DbTransactionCancel: return t.Freezer.TransactionCancel(origin, c);
            case ControlOpcode.WipeDatabase: return t.Freezer.Wipe(origin, c);
            case ControlOpcode.DbPull: return t.Freezer.Pull(origin, c);
            case ControlOpcode.DbPushStart: return t.Freezer.PushStart(origin, c);
            case ControlOpcode.DbPushConfirm: return t.Freezer.PushConfirm(origin, c);
            case ControlOpcode.PcmkClaimLeader: return t.Recovery.ClaimLeader(origin, c.Data);
            case ControlOpcode.RecdPing or ControlOpcode.Startup: return ControlReply.Ok;
            case ControlOpcode.StartPersistentUpdate: return ClientSessions.PersistentUpdate(client, +1);
            case ControlOpcode.CancelPersistentUpdate: return ClientSessions.PersistentUpdate(client, -1);
            case ControlOpcode.Shutdown: t.RequestShutdown(); return ControlReply.Ok;
            case ControlOpcode.PcmkSetLeaderRole: return t.Leader.SetRoleControl(client, c.Data);
            case ControlOpcode.PcmkGetLeaderState: return t.Recovery.LeaderStateReply(t.StartedAsLeader);
            case ControlOpcode.PcmkRecheck: return t.Recovery.Recheck(origin);

            case ControlOpcode.DbAttach: return db.Attach(client is not null, c, DatabaseKind.Volatile);
            case ControlOpcode.DbAttachPersistent: return db.Attach(client is not null, c, DatabaseKind.Persistent);
            case ControlOpcode.DbAttachReplicated: return db.Attach(client is not null, c, DatabaseKind.Replicated);
            case ControlOpcode.GetDbPath: return db.WithDb(c.Data, d => ControlData.CString(d.Path));
            case ControlOpcode.GetDbName: return db.WithDb(c.Data, d => ControlData.CString(d.Name));
            case ControlOpcode.GetDbMap: return db.DbMap();
            case ControlOpcode.DbGetHealth: return db.WithDb(c.Data, d => d.Unhealthy is null ? ControlReply.Ok : ControlData.CString(d.Unhealthy));
            case ControlOpcode.DbSetHealthy: return db.WithDb(c.Data, d => { d.Unhealthy = null; return ControlReply.Ok; });
            case ControlOpcode.DbOpenFlags: return db.WithDb(c.Data, d => ControlData.U32((uint)d.File.Flags));
            case ControlOpcode.EnableSeqnum: return db.WithDb(c.Data, t.Seqnums.Enable);
            case ControlOpcode.UpdateSeqnum: return UpdateSeqnum(origin.SrcNode, c.Data);
            case ControlOpcode.GetDbSeqnum: return db.WithDb(c.Data, SeqnumWatcher.DbSeqnum);
            case ControlOpcode.SetDbReadonly: return db.WithDb(c.Data, db.SetReadonly);
            case ControlOpcode.SetDbSticky: return db.WithDb(c.Data, DatabaseControls.SetSticky);
            case ControlOpcode.ScheduleForDeletion: return t.Vacuum.ScheduleForDeletion(c.Data);
            case ControlOpcode.VacuumFetch: return t.Vacuum.VacuumFetch(c.Data);
            case ControlOpcode.TryDeleteRecords: return t.Vacuum.TryDeleteRecords(c.Data);
            case ControlOpcode.DbVacuum: return t.Vacuum.DbVacuum(origin, c.Data);
            case ControlOpcode.Trans3Commit: return t.Commits.Trans3Commit(origin, c);
            case ControlOpcode.UpdateRecord: return t.Commits.UpdateRecord(c.Data);
            case ControlOpcode.TraverseStart: return t.Traverses.Start(client, c.Data, extended: false);
            case ControlOpcode.TraverseStartExt: return t.Traverses.Start(client, c.Data, extended: true);
            case ControlOpcode.TraverseAll: return t.Traverses.All(c.Data, extended: false);
            case ControlOpcode.TraverseAllExt: return t.Traverses.All(c.Data, extended: true);
            case ControlOpcode.TraverseData: return t.Traverses.Data(c.Data);
            case ControlOpcode.TraverseKill: return ControlReply.Ok;
            case ControlOpcode.GetDbStatistics: return db.WithDb(c.Data, DatabaseControls.Statistics);
            default:
                // Controls no handler knows: an error reply, never a dropped connection.
                t.Log.Debug("Unsupported control {Opcode} ({Number}) from client {Id}", c.Opcode, (uint)c.Opcode, client?.Id);
                return ControlReply.Failed($"control {(uint)c.Opcode} is not implemented");
        }
    }

    private ControlReply UpdateSeqnum(uint srcNode, ReadOnlySpan<byte> data) =>
        t.DatabaseControls.WithDb(data, d => t.Seqnums.Update(srcNode, d));
}
