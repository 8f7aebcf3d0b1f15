// SPDX-License-Identifier: GPL-3.0-or-later
using Xunit.Abstractions;

namespace CtdbPcmk.Packaging.Tests;

/// <summary>What the packages require and install, checked in the scratch root.</summary>
[Collection(RpmGroup.Name)]
public sealed class PackageContentTests(InstalledRpms rpms, ITestOutputHelper output)
{
    /// <summary>The target distribution's package names: the only requirements not checked here.</summary>
    private static readonly string[] s_targetPackages = ["(nftables or iptables-nft)", "pacemaker"];

    [Fact]
    public void EveryRequirementCheckableHereIsMet()
    {
        var provided = rpms.Provides;
        var requirements = rpms.Requirements;
        var unresolvable = new List<string>();
        foreach (var r in requirements)
        {
            switch (Requirement.Check(r, provided))
            {
                case null: unresolvable.Add(r); break;
                case false: Assert.Fail($"requirement '{r}' is not met on this host"); break;
            }
        }
        // "note:" lines of a test's output are repeated by tests/run-tests after its summary.
        output.WriteLine("note: RPM requirements not resolvable on this host (RHEL package names), not checked: "
            + string.Join(", ", unresolvable));
        Assert.Equal(s_targetPackages, unresolvable);
        // libtdb is opened at run time: only the explicit requirement names it.
        Assert.Contains("libtdb.so.1()(64bit)", requirements);
    }

    [Fact]
    public void EveryAgentOfTheTreeIsInstalledAsALinkToTheOneBinary()
    {
        var expected = Directory.GetFiles(Path.Combine(RepoPaths.Root, "ocf-metadata"), "*.xml")
            .Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal);
        Assert.Equal(expected, rpms.Agents);
        foreach (var agent in rpms.Agents)
        {
            var link = new FileInfo(rpms.InRoot("/usr/lib/ocf/resource.d/ctdb/" + agent));
            Assert.Equal("../../lib/ctdb/ctdb-ocf", link.LinkTarget);
        }
        Assert.True(File.Exists(rpms.InRoot("/usr/lib/ocf/lib/ctdb/ctdb-ocf")));
    }

    [Fact]
    public void NothingOfDotnetIsPackaged()
    {
        // Self-contained Native AOT executables: no assemblies, no runtime, no host.
        var files = Sh.Ok(["rpm", "-qpl", .. rpms.Packages]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain(files, f => f.EndsWith(".dll", StringComparison.Ordinal) || f.Contains("coreclr", StringComparison.Ordinal)
            || f.Contains("hostfxr", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal));
        Assert.Contains("/usr/sbin/ctdb-pcmkd", files);
        Assert.Contains("/etc/ctdb-pcmk/ctdb-pcmk.conf", files);
        Assert.Contains("/usr/lib/systemd/system/ctdb-pcmkd.service", files);
        Assert.Contains("/usr/lib/tmpfiles.d/ctdb-pcmk.conf", files);
        Assert.Contains(files, f => f.StartsWith("/usr/share/man/man8/ctdb-pcmkd.8", StringComparison.Ordinal));
        // Nothing that Samba's ctdb package installs.
        Assert.DoesNotContain(files, f => f.StartsWith("/etc/ctdb/", StringComparison.Ordinal) || f == "/usr/sbin/ctdbd" || f == "/usr/bin/ctdb");
    }

    [Fact]
    public void ThePostScriptletCreatesTheStateDirectories()
    {
        // Made by the %post scriptlet's systemd-tmpfiles run, inside the root, during the install.
        foreach (var dir in new[] { "/run/ctdb", "/var/lib/ctdb/volatile", "/var/lib/ctdb/persistent", "/var/lib/ctdb/state", "/var/log/ctdb" })
        {
            Assert.True(Directory.Exists(rpms.InRoot(dir)), dir);
        }
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            File.GetUnixFileMode(rpms.InRoot("/var/lib/ctdb/persistent")));
    }

    [Fact]
    public void TheSystemdUnitStartsTheInstalledDaemonWithTheSampleConfiguration()
    {
        var unit = File.ReadAllText(rpms.InRoot("/usr/lib/systemd/system/ctdb-pcmkd.service"));
        Assert.Contains("ExecStart=/usr/sbin/ctdb-pcmkd --config /etc/ctdb-pcmk/ctdb-pcmk.conf", unit, StringComparison.Ordinal);
        // systemd's own targets the unit is ordered against (network-online, multi-user, and what
        // they pull in) come from this host; the unit and the binary it starts from the packages.
        foreach (var target in Directory.GetFiles("/lib/systemd/system", "*.target"))
        {
            var copy = rpms.InRoot("/usr/lib/systemd/system/" + Path.GetFileName(target));
            if (!File.Exists(copy))
            {
                File.Copy(target, copy);
            }
        }
        var verify = Sh.Run("systemd-analyze", "verify", "--man=no", "--root=" + rpms.Root, "/usr/lib/systemd/system/ctdb-pcmkd.service");
        Assert.True(verify.Code == 0 && verify.Stderr.Trim().Length == 0, verify.ToString());
    }
}
