// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Cluster.Tests;

/// <summary>Three-node scenarios (two clustered smbd) on ctdb-pcmkd.</summary>
[Collection(SharedClustersGroup.Name)]
public sealed class OursSmbTests(SharedClusters clusters) : SmbScenarios(clusters)
{
    protected override DaemonKind Daemon => DaemonKind.Ours;
}
