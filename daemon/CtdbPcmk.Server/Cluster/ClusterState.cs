// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Server.Cluster;

/// <summary>
/// What this node knows about the cluster: node flags, the vnn map and its generation,
/// recovery mode, run state and who leads. Every subsystem reads it; each change goes through
/// a method named for what happened, so a reader can find every writer.
/// </summary>
internal sealed class ClusterState
{
    private readonly uint[] _flags;

    public ClusterState(uint pnn, IReadOnlyList<IPAddress?> nodes, int port)
    {
        Pnn = pnn;
        Nodes = nodes;
        Port = port;
        _flags = new uint[nodes.Count];
        for (int i = 0; i < nodes.Count; i++)
        {
            _flags[i] = nodes[i] is null ? NodeFlags.Deleted : NodeFlags.Disconnected | NodeFlags.Unhealthy;
        }
        _flags[pnn] = 0;
        VnnMap = new VnnMap(WireFormat.InvalidGeneration, new[] { pnn });
    }

    public uint Pnn { get; }
    public IReadOnlyList<IPAddress?> Nodes { get; }
    public int Port { get; }
    public int NodeCount => Nodes.Count;

    public VnnMap VnnMap { get; private set; }
    public uint Generation => VnnMap.Generation;
    public RecoveryMode RecoveryMode { get; private set; } = RecoveryMode.Normal;
    public RunState RunState { get; private set; } = RunState.Init;

    /// <summary>Generation of the last recovery completed on this node.</summary>
    public uint RecoveredGeneration { get; private set; }

    /// <summary>Leader PNN as last announced, or <see cref="WireFormat.UnknownPnn"/>.</summary>
    public uint Leader { get; private set; } = WireFormat.UnknownPnn;
    public bool IsLeader => Leader == Pnn;

    public uint Capabilities { get; } = Protocol.Capabilities.Default;

    /// <summary>False while Corosync says this node's partition has no quorum (true without Corosync).</summary>
    public bool HasQuorum { get; private set; } = true;

    public void SetQuorum(bool quorate) => HasQuorum = quorate;

    /// <summary>A vnn map set by the leader's recovery (or this node alone at start).</summary>
    public void AdoptVnnMap(VnnMap map) => VnnMap = map;

    public void SetRecoveryMode(RecoveryMode mode) => RecoveryMode = mode;

    public void SetRunState(RunState state) => RunState = state;

    public void SetLeader(uint pnn) => Leader = pnn;

    /// <summary>The recovery of the current generation is complete here.</summary>
    public void MarkRecovered() => RecoveredGeneration = Generation;

    public uint FlagsOf(uint pnn) => _flags[pnn];

    public void SetFlags(uint pnn, uint flags) => _flags[pnn] = flags;

    public bool IsValidNode(uint pnn) => pnn < (uint)Nodes.Count && Nodes[(int)pnn] is not null;

    public bool IsConnected(uint pnn) =>
        IsValidNode(pnn) && (_flags[pnn] & (NodeFlags.Disconnected | NodeFlags.Deleted)) == 0;

    public bool IsActive(uint pnn) => IsValidNode(pnn) && (_flags[pnn] & NodeFlags.Inactive) == 0;

    public uint Lmaster(ReadOnlySpan<byte> key) => VnnMap.LmasterOf(key);

    /// <summary>Nodes a broadcast reaches (this node included when it qualifies).</summary>
    public IEnumerable<uint> BroadcastTargets(uint destNode)
    {
        for (uint pnn = 0; pnn < (uint)NodeCount; pnn++)
        {
            if (!IsConnected(pnn))
            {
                continue;
            }
            bool take = destNode switch
            {
                WireFormat.BroadcastActive => IsActive(pnn),
                WireFormat.Multicast => VnnMap.Map.Contains(pnn),
                _ => true,
            };
            if (take)
            {
                yield return pnn;
            }
        }
    }

    /// <summary>Connected nodes other than this one.</summary>
    public uint[] ConnectedPeers() => BroadcastTargets(WireFormat.BroadcastConnected).Where(p => p != Pnn).ToArray();

    /// <summary>Connected nodes without an inactive flag (this node included when active).</summary>
    public List<uint> ActiveNodes()
    {
        var list = new List<uint>();
        foreach (uint pnn in BroadcastTargets(WireFormat.BroadcastConnected))
        {
            if (IsActive(pnn))
            {
                list.Add(pnn);
            }
        }
        return list;
    }

    /// <summary>The vnn map holds exactly the active connected nodes.</summary>
    public bool VnnMapMatchesActiveNodes()
    {
        var active = ActiveNodes();
        return active.Count == VnnMap.Map.Count && active.All(VnnMap.Map.Contains);
    }

    public NodeMap BuildNodeMap()
    {
        var list = new NodeAndFlags[Nodes.Count];
        for (int i = 0; i < Nodes.Count; i++)
        {
            var addr = Nodes[i] ?? IPAddress.Any;
            list[i] = new NodeAndFlags((uint)i, _flags[i], new IPEndPoint(addr, Port));
        }
        return new NodeMap(list);
    }

    /// <summary>A fresh generation: random, never the invalid one (as ctdbd, 31 bits).</summary>
    public static uint NewGeneration()
    {
        uint g;
        do
        {
            g = (uint)Random.Shared.Next();
        }
        while (g == WireFormat.InvalidGeneration || g == 0);
        return g;
    }
}
