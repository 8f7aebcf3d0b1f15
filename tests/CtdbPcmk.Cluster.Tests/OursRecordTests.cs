// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Cluster.Tests;

/// <summary>Three-node scenarios (records through the ctdb tool) on ctdb-pcmkd.</summary>
[Collection(SharedClustersGroup.Name)]
public sealed class OursRecordTests(SharedClusters clusters) : RecordScenarios(clusters)
{
    protected override DaemonKind Daemon => DaemonKind.Ours;
}
