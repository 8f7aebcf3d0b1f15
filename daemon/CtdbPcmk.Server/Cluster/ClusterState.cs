// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Server.Cluster;

/// <summary>
/// What this node knows about the cluster: node flags, the vnn map and its generation,
/// recovery mode, run state and who leads.
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

    public VnnMap VnnMap { get; set; }
    public uint Generation => VnnMap.Generation;
    public RecoveryMode RecoveryMode { get; set; } = RecoveryMode.Normal;
    public RunState RunState { get; set; } = RunState.Init;

    /// <summary>Leader PNN as last announced, or <see cref="WireFormat.UnknownPnn"/>.</summary>
    public uint Leader { get; set; } = WireFormat.UnknownPnn;
    public bool IsLeader => Leader == Pnn;

    public uint Capabilities { get; set; } = Protocol.Capabilities.Default;

    public uint FlagsOf(uint pnn) => _flags[pnn];

    public void SetFlags(uint pnn, uint flags) => _flags[pnn] = flags;

    public bool IsValidNode(uint pnn) => pnn < (uint)Nodes.Count && Nodes[(int)pnn] is not null;

    public bool IsConnected(uint pnn) =>
        IsValidNode(pnn) && (_flags[pnn] & (NodeFlags.Disconnected | NodeFlags.Deleted)) == 0;

    public bool IsActive(uint pnn) => IsValidNode(pnn) && (_flags[pnn] & NodeFlags.Inactive) == 0;

    public uint Lmaster(ReadOnlySpan<byte> key) => VnnMap.LmasterOf(key);

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
