// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Conformance.Tests;

/// <summary>The tests sharing one reference/candidate cluster pair.</summary>
[CollectionDefinition(Name)]
public sealed class ToolConformanceGroup : ICollectionFixture<ClusterPairFixture>
{
    public const string Name = "ctdb tool conformance";
}
