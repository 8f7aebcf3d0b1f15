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
internal sealed class NodeStates(ClusterState cluster, NodeLinks links, LeaderRole leader, RecoveryMaster recovery,
    EventLoop loop, Serilog.ILogger log)
{
    /// <summary>Flags a node sets for itself; forgotten while it is away, announced again when it returns.</summary>
    private const uint Admin = NodeFlags.PermanentlyDisabled | NodeFlags.Stopped | NodeFlags.Banned;

    private uint _banSeconds;
    private DateTimeOffset _banExpires;

    /// <summary>The set of connected nodes changed (a link came up or went down).</summary>
    public void OnMembershipChanged()
    {
        log.Debug("Membership changed; connected nodes: {Nodes}", string.Join(",", cluster.BroadcastTargets(WireFormat.BroadcastConnected)));
        for (uint pnn = 0; pnn < (uint)cluster.NodeCount; pnn++)
        {
            if (pnn != cluster.Pnn && cluster.IsValidNode(pnn) && !cluster.IsConnected(pnn))
            {
                cluster.SetFlags(pnn, cluster.FlagsOf(pnn) & ~Admin);
            }
        }
        uint own = cluster.FlagsOf(cluster.Pnn);
        if ((own & Admin) != 0)
        {
            PushOwnFlags(own);
        }
        if (leader.IsLeader)
        {
            recovery.Request("membership changed");
        }
    }

    /// <summary>DISABLE/ENABLE_NODE, STOP/CONTINUE_NODE.</summary>
    public ControlReply ChangeOwnFlags(uint set, uint clear)
    {
        SetOwnFlags((cluster.FlagsOf(cluster.Pnn) | set) & ~clear);
        return ControlReply.Ok;
    }

    private void SetOwnFlags(uint flags)
    {
        uint old = cluster.FlagsOf(cluster.Pnn);
        if (flags == old)
        {
            return;
        }
        cluster.SetFlags(cluster.Pnn, flags);
        log.Information("This node's flags 0x{Old:x} -> 0x{New:x}", old, flags);
        bool wasActive = (old & NodeFlags.Inactive) == 0;
        bool active = (flags & NodeFlags.Inactive) == 0;
        if (wasActive && !active)
        {
            // Clients of an inactive node wait until a recovery takes it back.
            cluster.SetRecoveryMode(RecoveryMode.Active);
        }
        PushOwnFlags(old);
        if (wasActive != active)
        {
            if (leader.IsLeader)
            {
                recovery.Request(active ? "this node became active" : "this node became inactive");
            }
            else
            {
                recovery.AskLeader();
            }
        }
    }

    /// <summary>Tells every other connected node this node's flags (MODIFY_FLAGS, as ctdbd pushes them).</summary>
    private void PushOwnFlags(uint oldFlags)
    {
        var change = new byte[NodeFlagChange.Size];
        new NodeFlagChange(cluster.Pnn, cluster.FlagsOf(cluster.Pnn), oldFlags).Write(change);
        links.SendToPeers(ControlOpcode.ModifyFlags, change);
    }

    /// <summary>
    /// MODIFY_FLAGS: another node announces its flags, or a local administrator sets this node's.
    /// Connection flags stay this node's own view.
    /// </summary>
    public ControlReply ModifyFlags(ClientConnection? client, ReadOnlySpan<byte> data)
    {
        var change = NodeFlagChange.Read(data);
        if (!cluster.IsValidNode(change.Pnn))
        {
            return ControlReply.Failed($"no node {change.Pnn}");
        }
        uint old = cluster.FlagsOf(change.Pnn);
        const uint Local = NodeFlags.Disconnected | NodeFlags.Deleted;
        uint flags = (change.NewFlags & ~Local) | (old & Local);
        if (change.Pnn == cluster.Pnn)
        {
            if (client is null)
            {
                return ControlReply.Ok; // this node's own flags are its own to announce
            }
            SetOwnFlags(flags);
            return ControlReply.Ok;
        }
        cluster.SetFlags(change.Pnn, flags);
        if (flags != old)
        {
            log.Information("Node {Pnn} flags 0x{Old:x} -> 0x{New:x}", change.Pnn, old, flags);
            if (((old ^ flags) & NodeFlags.Inactive) != 0 && leader.IsLeader)
            {
                recovery.Request($"node {change.Pnn} changed its active state");
            }
        }
        return ControlReply.Ok;
    }

    /// <summary>SET_BAN_STATE: ban this node for the given seconds (0 lifts the ban).</summary>
    public ControlReply SetBanState(ReadOnlySpan<byte> data)
    {
        var ban = BanState.Read(data);
        if (ban.Pnn != cluster.Pnn)
        {
            return ControlReply.Failed($"a node bans only itself (got node {ban.Pnn})");
        }
        if (ban.Time == 0)
        {
            _banSeconds = 0;
            return ChangeOwnFlags(0, NodeFlags.Banned);
        }
        _banSeconds = ban.Time;
        _banExpires = loop.Time.GetUtcNow().AddSeconds(ban.Time);
        log.Warning("This node is banned for {Seconds} s", ban.Time);
        return ChangeOwnFlags(NodeFlags.Banned, 0);
    }

    public ControlReply GetBanState()
    {
        var data = new byte[BanState.Size];
        new BanState(cluster.Pnn, (cluster.FlagsOf(cluster.Pnn) & NodeFlags.Banned) != 0 ? _banSeconds : 0).Write(data);
        return ControlReply.WithData(data);
    }

    /// <summary>Lifts a ban whose time is up (checked every second).</summary>
    public void ExpireBan()
    {
        if ((cluster.FlagsOf(cluster.Pnn) & NodeFlags.Banned) != 0 && _banSeconds != 0 && loop.Time.GetUtcNow() >= _banExpires)
        {
            log.Information("Ban of this node expired");
            _banSeconds = 0;
            ChangeOwnFlags(0, NodeFlags.Banned);
        }
    }
}
