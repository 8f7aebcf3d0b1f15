// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Controls;

namespace CtdbPcmk.Server;

public sealed partial class Daemon
{
    private bool _checking;

    /// <summary>The set of connected nodes changed (a link came up or went down).</summary>
    private void OnMembershipChanged()
    {
        _log.Debug("Membership changed; connected nodes: {Nodes}", string.Join(",", BroadcastTargets(WireFormat.BroadcastConnected)));
        // A node's administrative state (disabled, stopped, banned) is its own: forget it while
        // the node is away; it announces it again when it connects, as this node does here.
        const uint Admin = NodeFlags.PermanentlyDisabled | NodeFlags.Stopped | NodeFlags.Banned;
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
        if (_leadership.IsLeader)
        {
            RequestRecovery("membership changed");
        }
    }

    /// <summary>
    /// The leader's check (every second and on PCMK_RECHECK): a recovery when this node's view
    /// of the active nodes differs from the vnn map, or when any active node is in recovery
    /// mode, has another generation or lacks a database another node has.
    /// </summary>
    private void CheckCluster()
    {
        if (!_leadership.IsLeader || _recovery is not null || _checking)
        {
            return;
        }
        var active = ActiveNodes();
        bool sameMembers = active.Count == _cluster.VnnMap.Map.Count && active.All(_cluster.VnnMap.Map.Contains);
        if (!sameMembers || (_cluster.IsActive(_cluster.Pnn) && (_cluster.RecoveryMode == RecoveryMode.Active || _recoveredGeneration != _cluster.Generation)))
        {
            RequestRecovery("cluster check: membership or recovery state differs");
            return;
        }
        if (active.Count > 1 || !active.Contains(_cluster.Pnn))
        {
            _ = CheckNodesAsync(active);
        }
    }

    private async Task CheckNodesAsync(List<uint> active)
    {
        _checking = true;
        string? why = null;
        try
        {
            var others = active.Where(p => p != _cluster.Pnn).ToList();
            var modes = AllNodesAsync(others, ControlOpcode.GetRecMode, 0, Array.Empty<byte>());
            var maps = AllNodesAsync(others, ControlOpcode.GetVnnMap, 0, Array.Empty<byte>());
            var dbmaps = AllNodesAsync(active, ControlOpcode.GetDbMap, 0, Array.Empty<byte>());
            foreach (var (pnn, reply) in await modes)
            {
                if (reply.Status != (int)RecoveryMode.Normal)
                {
                    why ??= $"node {pnn} is in recovery mode ({reply.Status})";
                }
            }
            foreach (var (pnn, reply) in await maps)
            {
                if (reply.Status != 0 || reply.Data is null || VnnMap.Read(reply.Data).Generation != _cluster.Generation)
                {
                    why ??= $"node {pnn} has another generation";
                }
            }
            HashSet<uint>? first = null;
            foreach (var (pnn, reply) in await dbmaps)
            {
                if (reply.Status != 0 || reply.Data is null)
                {
                    why ??= $"node {pnn} did not list its databases";
                    continue;
                }
                var ids = DbMap.Read(reply.Data).Dbs.Select(d => d.DbId).ToHashSet();
                if (first is null)
                {
                    first = ids;
                }
                else if (!first.SetEquals(ids))
                {
                    why ??= $"node {pnn} has other databases";
                }
            }
        }
        catch (ProtocolException e)
        {
            why = $"bad reply: {e.Message}";
        }
        finally
        {
            _checking = false;
        }
        if (why is not null && _recovery is null)
        {
            RequestRecovery($"cluster check: {why}");
        }
    }

    /// <summary>Tells every other connected node this node's flags (MODIFY_FLAGS, as ctdbd pushes them).</summary>
    private void PushOwnFlags(uint oldFlags)
    {
        var change = new byte[NodeFlagChange.Size];
        new NodeFlagChange(_cluster.Pnn, _cluster.FlagsOf(_cluster.Pnn), oldFlags).Write(change);
        foreach (uint pnn in BroadcastTargets(WireFormat.BroadcastConnected).ToArray())
        {
            if (pnn != _cluster.Pnn)
            {
                SendNodeControl(pnn, ControlOpcode.ModifyFlags, 0, change, static _ => { });
            }
        }
    }

    /// <summary>
    /// MODIFY_FLAGS: another node announces its flags, or a local administrator sets this node's.
    /// Connection flags stay this node's own view.
    /// </summary>
    private ControlReply ModifyFlags(Clients.ClientConnection? client, ReadOnlySpan<byte> data)
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
            if (((old ^ flags) & NodeFlags.Inactive) != 0 && _leadership.IsLeader)
            {
                RequestRecovery($"node {change.Pnn} changed its active state");
            }
        }
        return ControlReply.Ok;
    }
}
