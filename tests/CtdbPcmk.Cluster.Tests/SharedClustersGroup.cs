// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Cluster.Tests;

/// <summary>The test classes that share <see cref="SharedClusters"/> (run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class SharedClustersGroup : ICollectionFixture<SharedClusters>
{
    public const string Name = "shared three-node clusters";
}
