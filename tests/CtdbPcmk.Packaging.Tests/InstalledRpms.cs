// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Packaging.Tests;

/// <summary>
/// The ctdb-pcmk and ctdb-pcmk-agents RPMs installed with rpm into a scratch root, shared by the
/// tests of <see cref="RpmGroup"/>. The packages come from CTDBPCMK_RPM_DIR (make test sets it
/// to what make rpm built); without it they are built here with packaging/build-rpm.sh.
/// rpm's dependency check is skipped (--nodeps: this Debian host has no RHEL package database);
/// <see cref="Requirements"/> checks instead what can be checked here. The %post scriptlet is
/// skipped too (--noscripts: the scratch root has no shell to run it in); the tests run the
/// tmpfiles configuration it would apply themselves.
/// </summary>
public sealed class InstalledRpms : IDisposable
{
    public InstalledRpms()
    {
        RpmDirectory = Environment.GetEnvironmentVariable("CTDBPCMK_RPM_DIR") is { Length: > 0 } given ? given : Build();
        Packages = [.. Directory.GetFiles(RpmDirectory, "ctdb-pcmk-*.rpm").Order(StringComparer.Ordinal)];
        if (Packages.Count != 2 || !Packages.Any(p => Path.GetFileName(p).StartsWith("ctdb-pcmk-agents-", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"expected ctdb-pcmk and ctdb-pcmk-agents in {RpmDirectory}, found: {string.Join(", ", Packages)}");
        }
        Root = Directory.CreateTempSubdirectory("ctdbpcmk-rpmroot-").FullName;
        var install = Sh.Run(["rpm", "--root", Root, "-i", "--nodeps", "--noscripts", .. Packages], timeoutMs: 300_000);
        if (install.Code != 0)
        {
            throw new InvalidOperationException($"rpm --root {Root} -i failed: {install}");
        }
    }

    /// <summary>The directory the two packages were taken from.</summary>
    public string RpmDirectory { get; }

    /// <summary>The two package files.</summary>
    public IReadOnlyList<string> Packages { get; }

    /// <summary>The scratch root the packages are installed in.</summary>
    public string Root { get; }

    /// <summary>An installed path: <paramref name="path"/> is absolute as on the target system.</summary>
    public string InRoot(string path) => Root + path;

    /// <summary>The installed agents (resource.d/ctdb), sorted.</summary>
    public IReadOnlyList<string> Agents =>
        [.. Directory.GetFileSystemEntries(InRoot("/usr/lib/ocf/resource.d/ctdb")).Select(Path.GetFileName).OfType<string>()
            .Order(StringComparer.Ordinal)];

    /// <summary>The requirements of both packages (rpm -qpR), without duplicates.</summary>
    public IReadOnlyList<string> Requirements =>
        [.. Sh.Ok(["rpm", "-qpR", .. Packages]).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>What the packages provide (rpm -qp --provides), names only.</summary>
    public IReadOnlySet<string> Provides =>
        Sh.Ok(["rpm", "-qp", "--provides", .. Packages]).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split(' ')[0]).ToHashSet(StringComparer.Ordinal);

    public void Dispose()
    {
        // Nothing of the root runs any more (the tests stop what they start); remove it.
        Directory.Delete(Root, recursive: true);
    }

    private static string Build()
    {
        var owner = typeof(InstalledRpms).Assembly.GetName().Name ?? "tests";
        var output = Path.Combine(RepoPaths.Root, "artifacts", "rpm-" + owner);
        var build = Sh.Run(["bash", Path.Combine(RepoPaths.Root, "packaging", "build-rpm.sh"), output, "Release"], timeoutMs: 1_200_000);
        if (build.Code != 0)
        {
            throw new InvalidOperationException("make rpm (packaging/build-rpm.sh) failed: " + build);
        }
        var arch = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "aarch64" : "x86_64";
        return Path.Combine(output, arch);
    }
}
