// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Clients;
using CtdbPcmk.Server.Controls;
using CtdbPcmk.Server.Recovery;
using CtdbPcmk.Transport;

namespace CtdbPcmk.Server.Cluster;

/// <summary>
/// Administrative node states the ctdb tool sets (disable/enable, stop/continue, ban/unban):
/// each node owns its flags and announces every change to the others. A stopped or banned node
/// is inactive: it goes into recovery mode (its clients wait) and the leader recovers without it.
/// </summary>
internal sealed class NodeStates
{
    /// <summary>Flags a node sets for itself; forgotten while it is away, announced again when it returns.</summary>
    private const uint Admin = NodeFlags.PermanentlyDisabled | NodeFlags.Stopped | NodeFlags.Banned;

    private readonly ClusterState _cluster;
    private readonly NodeLinks _links;
    private readonly LeaderRole _leader;
    private readonly RecoveryMaster _recovery;
    private readonly EventLoop _loop;
    private readonly Serilog.ILogger _log;
    private uint _banSeconds;
    private DateTimeOffset _banExpires;

    public NodeStates(ClusterState cluster, NodeLinks links, LeaderRole leader, RecoveryMaster recovery, EventLoop loop, Serilog.ILogger log)
    {
        _cluster = cluster;
        _links = links;
        _leader = leader;
        _recovery = recovery;
        _loop = loop;
        _log = log;
    }

    /// <summary>The set of connected nodes changed (a link came up or went down).</summary>
    public void OnMembershipChanged()
    {
        _log.Debug("Membership changed; connected nodes: {Nodes}", string.Join(",", _cluster.BroadcastTargets(WireFormat.BroadcastConnected)));
        for (uint pnn = 0; pnn < (uint)_cluster.NodeCount; pnn++)
        {
            if (pnn != _cluster.Pnn && _cluster.IsValidNode(pnn) && !_cluster.IsConnected(pnn))
            {
                _cluster.SetFlags(pnn, _cluster.FlagsOf(pnn) & ~Admin);
            }
        }
        uint own = _cluster.FlagsOf(_cluster.Pnn);
        if ((own & Admin) != 0)
        {
            PushOwnFlags(own);
        }
        if (_leader.IsLeader)
        {
            _recovery.Request("membership changed");
        }
    }

    /// <summary>DISABLE/ENABLE_NODE, STOP/CONTINUE_NODE.</summary>
    public ControlReply ChangeOwnFlags(uint set, uint clear)
    {
        SetOwnFlags((_cluster.FlagsOf(_cluster.Pnn) | set) & ~clear);
        return ControlReply.Ok;
    }

    private void SetOwnFlags(uint flags)
    {
        uint old = _cluster.FlagsOf(_cluster.Pnn);
        if (flags == old)
        {
            return;
        }
        _cluster.SetFlags(_cluster.Pnn, flags);
        _log.Information("This node's flags 0x{Old:x} -> 0x{New:x}", old, flags);
        bool wasActive = (old & NodeFlags.Inactive) == 0;
        bool active = (flags & NodeFlags.Inactive) == 0;
        if (wasActive && !active)
        {
            // Clients of an inactive node wait until a recovery takes it back.
            _cluster.SetRecoveryMode(RecoveryMode.Active);
        }
        PushOwnFlags(old);
        if (wasActive != active)
        {
            if (_leader.IsLeader)
            {
                _recovery.Request(active ? "this node became active" : "this node became inactive");
            }
            else
            {
                _recovery.AskLeader();
            }
        }
    }

    /// <summary>Tells every other connected node this node's flags (MODIFY_FLAGS, as ctdbd pushes them).</summary>
    private void PushOwnFlags(uint oldFlags)
    {
        var change = new byte[NodeFlagChange.Size];
        new NodeFlagChange(_cluster.Pnn, _cluster.FlagsOf(_cluster.Pnn), oldFlags).Write(change);
        _links.SendToPeers(ControlOpcode.ModifyFlags, change);
    }

    /// <summary>
    /// MODIFY_FLAGS: another node announces its flags, or a local administrator sets this node's.
    /// Connection flags stay this node's own view.
    /// </summary>
    public ControlReply ModifyFlags(ClientConnection? client, ReadOnlySpan<byte> data)
    {
        var change = NodeFlagChange.Read(data);
        if (!_cluster.IsValidNode(change.Pnn))
        {
            return ControlReply.Failed($"no node {change.Pnn}");
        }
        uint old = _cluster.FlagsOf(change.Pnn);
        const uint Local = NodeFlags.Disconnected | NodeFlags.Deleted;
        uint flags = (change.NewFlags & ~Local) | (old & Local);
        if (change.Pnn == _cluster.Pnn)
        {
            if (client is null)
            {
                return ControlReply.Ok; // this node's own flags are its own to announce
            }
            SetOwnFlags(flags);
            return ControlReply.Ok;
        }
        _cluster.SetFlags(change.Pnn, flags);
        if (flags != old)
        {
            _log.Information("Node {Pnn} flags 0x{Old:x} -> 0x{New:x}", change.Pnn, old, flags);
            if (((old ^ flags) & NodeFlags.Inactive) != 0 && _leader.IsLeader)
            {
                _recovery.Request($"node {change.Pnn} changed its active state");
            }
        }
        return ControlReply.Ok;
    }

    /// <summary>SET_BAN_STATE: ban this node for the given seconds (0 lifts the ban).</summary>
    public ControlReply SetBanState(ReadOnlySpan<byte> data)
    {
        var ban = BanState.Read(data);
        if (ban.Pnn != _cluster.Pnn)
        {
            return ControlReply.Failed($"a node bans only itself (got node {ban.Pnn})");
        }
        if (ban.Time == 0)
        {
            _banSeconds = 0;
            return ChangeOwnFlags(0, NodeFlags.Banned);
        }
        _banSeconds = ban.Time;
        _banExpires = _loop.Time.GetUtcNow().AddSeconds(ban.Time);
        _log.Warning("This node is banned for {Seconds} s", ban.Time);
        return ChangeOwnFlags(NodeFlags.Banned, 0);
    }

    public ControlReply GetBanState()
    {
        var data = new byte[BanState.Size];
        new BanState(_cluster.Pnn, (_cluster.FlagsOf(_cluster.Pnn) & NodeFlags.Banned) != 0 ? _banSeconds : 0).Write(data);
        return ControlReply.WithData(data);
    }

    /// <summary>Lifts a ban whose time is up (checked every second).</summary>
    public void ExpireBan()
    {
        if ((_cluster.FlagsOf(_cluster.Pnn) & NodeFlags.Banned) != 0 && _banSeconds != 0 && _loop.Time.GetUtcNow() >= _banExpires)
        {
            _log.Information("Ban of this node expired");
            _banSeconds = 0;
            ChangeOwnFlags(0, NodeFlags.Banned);
        }
    }
}
