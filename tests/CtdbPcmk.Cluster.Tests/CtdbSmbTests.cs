// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Cluster.Tests;

/// <summary>Three-node scenarios (two clustered smbd) on real ctdbd (the reference: shows the scenarios are right).</summary>
[Collection(SharedClustersGroup.Name)]
public sealed class CtdbSmbTests(SharedClusters clusters) : SmbScenarios(clusters)
{
    protected override DaemonKind Daemon => DaemonKind.Ctdb;
}
