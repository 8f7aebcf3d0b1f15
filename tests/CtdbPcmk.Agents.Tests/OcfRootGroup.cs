// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Agents.Tests;

/// <summary>Tests that run the published binary share one OCF root and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class OcfRootGroup : ICollectionFixture<OcfRootFixture>
{
    public const string Name = "ocf-root";
}
