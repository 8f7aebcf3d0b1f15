// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Packaging.Tests;

/// <summary>The tests sharing one scratch-root installation of the RPMs.</summary>
[CollectionDefinition(Name)]
public sealed class RpmGroup : ICollectionFixture<InstalledRpms>
{
    public const string Name = "installed RPMs";
}
