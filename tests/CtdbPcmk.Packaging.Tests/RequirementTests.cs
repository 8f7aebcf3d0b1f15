// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Packaging.Tests;

/// <summary>The host-side requirement check says no where it must (it is what the install test trusts).</summary>
public sealed class RequirementTests
{
    private static readonly HashSet<string> s_provided = ["ctdb-pcmk"];

    [Theory]
    [InlineData("libc.so.6()(64bit)", true)]
    [InlineData("libc.so.6(GLIBC_2.2.5)(64bit)", true)]
    [InlineData("libc.so.6(GLIBC_9.99)(64bit)", false)]
    [InlineData("libtdb.so.1()(64bit)", true)]
    [InlineData("libnothere.so.1()(64bit)", false)]
    [InlineData("/bin/sh", true)]
    [InlineData("/nonexistent/sh", false)]
    [InlineData("rpmlib(FileDigests) <= 4.6.0-1", true)]
    [InlineData("rpmlib(NoSuchFeature) <= 1.0-1", false)]
    [InlineData("ctdb-pcmk = 0.1.0-1", true)]
    public void CheckableRequirements(string requirement, bool met) =>
        Assert.Equal(met, Requirement.Check(requirement, s_provided));

    [Theory]
    [InlineData("pacemaker")]
    [InlineData("(nftables or iptables-nft)")]
    public void PackageNamesOfTheTargetAreNotCheckedHere(string requirement) =>
        Assert.Null(Requirement.Check(requirement, s_provided));
}
