// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Packaging.Tests;

/// <summary>
/// The ctdb-pcmk and ctdb-pcmk-agents RPMs installed with rpm into a scratch root, shared by the
/// tests of <see cref="RpmGroup"/>. The packages come from CTDBPCMK_RPM_DIR (make test sets it
/// to what make rpm built); without it they are built here with packaging/build-rpm.sh.
/// rpm's dependency check is the one thing skipped (--nodeps: this Debian host has no RHEL
/// package database); <see cref="Requirements"/> checks instead what can be checked here. The
/// scriptlets run as on a target: rpm runs them chrooted into the root, so the root is given
/// what they use there first (a shell, systemd-tmpfiles and their libraries, /dev/null, and a
/// /proc mounted in a mount namespace of the install's own, gone when it ends).
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
        PrepareScriptletRuntime(Root);
        var install = Sh.Run(["unshare", "--mount", "--propagation", "private", "sh", "-c",
            "root=$1; shift; mount -t proc proc \"$root/proc\" && exec rpm --root \"$root\" -i --nodeps \"$@\"",
            "sh", Root, .. Packages], timeoutMs: 300_000);
        if (install.Code != 0 || install.Stderr.Contains("scriptlet", StringComparison.Ordinal))
        {
            // rpm exits 0 when a %post scriptlet fails: its message is the sign.
            Directory.Delete(Root, recursive: true);
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

    /// <summary>
    /// What the packages' scriptlets need inside the root: /bin/sh, systemd-tmpfiles (copies of
    /// this host's, with the shared libraries ldd names for them) and /dev/null; /proc is
    /// mounted for the install only.
    /// </summary>
    private static void PrepareScriptletRuntime(string root)
    {
        var shell = new FileInfo("/bin/sh").ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? "/bin/sh";
        var tmpfiles = Sh.Ok("sh", "-c", "command -v systemd-tmpfiles").Trim();
        foreach (var program in new[] { shell, tmpfiles })
        {
            CopyIntoRoot(root, program);
            foreach (var line in Sh.Ok("ldd", program).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)"
                var path = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(w => w.StartsWith('/'));
                if (path is not null)
                {
                    CopyIntoRoot(root, path);
                }
            }
        }
        Directory.CreateDirectory(Path.Combine(root, "bin"));
        if (!File.Exists(Path.Combine(root, "bin", "sh")))
        {
            File.CreateSymbolicLink(Path.Combine(root, "bin", "sh"), shell);
        }
        Directory.CreateDirectory(Path.Combine(root, "dev"));
        Directory.CreateDirectory(Path.Combine(root, "proc"));
        Sh.Ok("mknod", "-m", "666", Path.Combine(root, "dev", "null"), "c", "1", "3");
    }

    private static void CopyIntoRoot(string root, string path)
    {
        var target = root + path;
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(path, target, overwrite: true); // a link's target is what gets copied
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
