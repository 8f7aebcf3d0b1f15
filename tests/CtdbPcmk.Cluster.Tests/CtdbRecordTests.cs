// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Cluster.Tests;

/// <summary>Three-node scenarios (records through the ctdb tool) on real ctdbd (the reference: shows the scenarios are right).</summary>
[Collection(SharedClustersGroup.Name)]
public sealed class CtdbRecordTests(SharedClusters clusters) : RecordScenarios(clusters)
{
    protected override DaemonKind Daemon => DaemonKind.Ctdb;
}
