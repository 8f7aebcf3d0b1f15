// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Clients;
using CtdbPcmk.Server.Cluster;
using CtdbPcmk.Server.Controls;

namespace CtdbPcmk.Server;

public sealed partial class Daemon
{
    /// <summary>
    /// Brings the node to RUNNING. Alone (no other node connected) the node is its own
    /// cluster: the vnn map holds only itself under a fresh generation.
    /// </summary>
    private void StartCluster()
    {
        _cluster.VnnMap = new VnnMap(ClusterState.NewGeneration(), new[] { _cluster.Pnn });
        _recoveredGeneration = _cluster.Generation;
        _cluster.RecoveryMode = RecoveryMode.Normal;
        _cluster.RunState = RunState.Running;
        _lastRecoveryFinished = _loop.Time.GetUtcNow();
        _recoveredEpoch = LoadRecoveredEpoch();
        RegisterInternalHandler(Srvid.TakeoverRun, OnTakeoverRun);
        if (_options.StartAsLeader)
        {
            SetLeader(true);
        }
    }

    /// <summary>Sets or clears the leader role of this node (promote / demote).</summary>
    internal void SetLeader(bool leader)
    {
        if (leader && _leadership.IsLeader)
        {
            // Pacemaker may promote again (after a failed monitor, a reprobe): the role is held
            // and the term stands, so there is nothing to claim and nothing to recover.
            _log.Information("This node ({Pnn}) already holds the leader role, term {Term}", _cluster.Pnn, _leadership.Term);
        }
        else if (leader)
        {
            uint term = _leadership.Take();
            _claimRetries = 0;
            SyncLeader();
            _log.Information("This node ({Pnn}) takes the leader role, term {Term}", _cluster.Pnn, term);
            BroadcastLeader();
            ProbePeers("the leader role was taken");
            if (BroadcastTargets(WireFormat.BroadcastConnected).Any(p => p != _cluster.Pnn))
            {
                RequestRecovery("leader role taken");
            }
        }
        else if (_leadership.Wanted)
        {
            _leadership.Release();
            SyncLeader();
            AbortRecovery("leader role released");
            _log.Information("This node ({Pnn}) released the leader role", _cluster.Pnn);
        }
    }

    /// <summary>Mirrors the leadership into the cluster view (what LEADER messages and status report).</summary>
    private void SyncLeader()
    {
        uint leader = _leadership.Leader;
        _cluster.Leader = leader == _cluster.Pnn && !_leadership.IsLeader ? WireFormat.UnknownPnn : leader;
    }

    /// <summary>PCMK_SET_LEADER_ROLE from a local client: u32 1 takes the role, 0 releases it.</summary>
    private ControlReply SetLeaderRole(ClientConnection? client, ReadOnlySpan<byte> data)
    {
        if (client is null)
        {
            return ControlReply.Failed("the leader role is set only by a local administrator");
        }
        uint take = ReadU32(data);
        if (take > 1)
        {
            return ControlReply.Failed($"leader role must be 0 or 1, not {take}");
        }
        SetLeader(take == 1);
        return ControlReply.Ok;
    }

    private ControlReply LeaderStateReply()
    {
        var state = new LeaderState(_cluster.Pnn, _cluster.Leader, _leadership.Term, _cluster.Generation,
            _cluster.RecoveryMode, _cluster.FlagsOf(_cluster.Pnn), IsRecovered() ? 1u : 0u);
        var data = new byte[LeaderState.Size];
        state.Write(data);
        return ControlReply.WithData(data);
    }

    /// <summary>
    /// This node is part of a completed recovery of the membership it sees: recovery mode
    /// normal, the current generation committed by a leader, and the vnn map holding exactly the
    /// active nodes this node is connected to. An inactive node has nothing to recover.
    /// </summary>
    private bool IsRecovered()
    {
        if (_cluster.Leader == WireFormat.UnknownPnn && !_options.StartAsLeader)
        {
            return false;
        }
        if (!_cluster.IsActive(_cluster.Pnn))
        {
            return true;
        }
        if (_cluster.RecoveryMode != RecoveryMode.Normal || _recoveredGeneration != _cluster.Generation || _recovery is not null)
        {
            return false;
        }
        var active = ActiveNodes();
        return active.Count == _cluster.VnnMap.Map.Count && active.All(_cluster.VnnMap.Map.Contains);
    }

    /// <summary>Connected nodes without an inactive flag (this node included when active).</summary>
    private List<uint> ActiveNodes()
    {
        var list = new List<uint>();
        foreach (uint pnn in BroadcastTargets(WireFormat.BroadcastConnected))
        {
            if (_cluster.IsActive(pnn))
            {
                list.Add(pnn);
            }
        }
        return list;
    }

    /// <summary>The once-a-second LEADER announcement (the ctdb tool's status waits for it) and leader check.</summary>
    private void LeaderTick()
    {
        if (_cluster.RunState == RunState.Shutdown)
        {
            return;
        }
        if (_cluster.IsLeader)
        {
            BroadcastLeader();
            CheckCluster();
        }
        ExpireBan();
        _loop.AddTimer(TimeSpan.FromSeconds(1), LeaderTick);
    }

    private void BroadcastLeader()
    {
        Span<byte> payload = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, _cluster.Pnn);
        SendMessage(WireFormat.BroadcastConnected, Srvid.Leader, payload);
    }

    /// <summary>Tells one client who leads, right after it registers for LEADER messages.</summary>
    private void AnnounceLeaderTo(Clients.ClientConnection client)
    {
        if (_cluster.Leader == WireFormat.UnknownPnn)
        {
            return;
        }
        Span<byte> payload = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, _cluster.Leader);
        var msg = new ReqMessage { Srvid = Srvid.Leader, Data = payload };
        var buffer = Scratch(Packet.WireSize(msg.ContentLength));
        int size = msg.Write(buffer, MessageHeader());
        client.Connection.Send(buffer[..size]);
    }

    /// <summary>
    /// TAKEOVER_RUN from the ctdb tool (after disable, stop, ban …): public addresses belong to
    /// Pacemaker, so the leader has nothing to move and answers success at once.
    /// </summary>
    private void OnTakeoverRun(ReadOnlySpan<byte> data)
    {
        if (!_leadership.IsLeader || data.Length < 16)
        {
            return;
        }
        uint pnn = BinaryPrimitives.ReadUInt32LittleEndian(data);
        ulong srvid = BinaryPrimitives.ReadUInt64LittleEndian(data[8..]);
        if (srvid == 0)
        {
            return;
        }
        Span<byte> status = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(status, 0);
        SendMessage(pnn, srvid, status);
    }
}
