// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.ClusterKit;

namespace CtdbPcmk.Bench.ThreeNode;

/// <summary>One daemon's three-node cluster, or why there is none.</summary>
internal sealed class ThreeNodeTarget(string name, Daemon daemon)
{
    public string Name { get; } = name;

    public Daemon Daemon { get; } = daemon;

    public LocalCluster? Cluster { get; set; }

    public string? Unavailable { get; set; }
}
