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
        _cluster.RecoveryMode = RecoveryMode.Normal;
        _cluster.RunState = RunState.Running;
        _lastRecoveryFinished = _loop.Time.GetUtcNow();
        if (_options.StartAsLeader)
        {
            SetLeader(true);
        }
    }

    /// <summary>Sets or clears the leader role of this node (promote / demote).</summary>
    internal void SetLeader(bool leader)
    {
        if (leader)
        {
            _cluster.Leader = _cluster.Pnn;
            _log.Information("This node ({Pnn}) is now the leader", _cluster.Pnn);
            BroadcastLeader();
        }
        else if (_cluster.IsLeader)
        {
            _cluster.Leader = WireFormat.UnknownPnn;
            _log.Information("This node ({Pnn}) is no longer the leader", _cluster.Pnn);
        }
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
        var state = new LeaderState(_cluster.Pnn, _cluster.Leader, 0, _cluster.Generation,
            _cluster.RecoveryMode, _cluster.FlagsOf(_cluster.Pnn), _cluster.RecoveryMode == RecoveryMode.Normal ? 1u : 0u);
        var data = new byte[LeaderState.Size];
        state.Write(data);
        return ControlReply.WithData(data);
    }

    /// <summary>The once-a-second LEADER announcement (the ctdb tool's status waits for it).</summary>
    private void LeaderTick()
    {
        if (_cluster.RunState == RunState.Shutdown)
        {
            return;
        }
        if (_cluster.IsLeader)
        {
            BroadcastLeader();
        }
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
}
