// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Bench.ThreeNode;

/// <summary>One daemon's three-node cluster, or why there is none.</summary>
internal sealed class ThreeNodeTarget(string name, DaemonKind daemon)
{
    public string Name { get; } = name;

    public DaemonKind Daemon { get; } = daemon;

    /// <summary>Ours with authenticated node links (local-daemons setup --node-key).</summary>
    public bool NodeKey { get; init; }

    public LocalCluster? Cluster { get; set; }

    public string? Unavailable { get; set; }
}
