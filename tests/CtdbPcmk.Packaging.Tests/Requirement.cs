// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text;
using System.Text.RegularExpressions;

namespace CtdbPcmk.Packaging.Tests;

/// <summary>
/// One requirement of the packages (a line of rpm -qpR) checked against this host where that is
/// possible: shared libraries and their symbol versions (the installed binaries run with this
/// host's libraries), files, rpm's own features, and what the two packages provide each other.
/// Package names of the target distribution (pacemaker, nftables, ...) cannot be resolved on
/// this Debian host: <see cref="Check"/> returns null for them.
/// </summary>
internal static partial class Requirement
{
    /// <summary>True or false when checkable here, null when it names a package of the target.</summary>
    public static bool? Check(string requirement, IReadOnlySet<string> provided)
    {
        var name = requirement.Split(' ')[0];
        if (provided.Contains(name))
        {
            return true;
        }
        if (name.StartsWith("rpmlib(", StringComparison.Ordinal))
        {
            return RpmFeatures.Value.Contains(name);
        }
        if (name.StartsWith('/'))
        {
            return File.Exists(name);
        }
        if (name == "rtld(GNU_HASH)")
        {
            // Every glibc dynamic loader reads GNU hash tables; the loader itself is checked below.
            return Library("ld-linux-x86-64.so.2") is not null || Library("ld-linux-aarch64.so.1") is not null;
        }
        var soname = SonamePattern().Match(name);
        if (soname.Success)
        {
            var path = Library(soname.Groups["lib"].Value);
            var version = soname.Groups["version"].Value;
            return path is not null && (version.Length == 0 || DefinesVersion(path, version));
        }
        return null;
    }

    // libc.so.6()(64bit), libc.so.6(GLIBC_2.34)(64bit)
    [GeneratedRegex(@"^(?<lib>[^()]+\.so(\.[0-9]+)*)\((?<version>[^()]*)\)\(64bit\)$")]
    private static partial Regex SonamePattern();

    private static readonly Lazy<HashSet<string>> RpmFeatures = new(() =>
        Sh.Ok("rpm", "--showrc").Split('\n').Select(l => l.Trim())
            .Where(l => l.StartsWith("rpmlib(", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[0]).ToHashSet(StringComparer.Ordinal));

    private static readonly Lazy<string> LdconfigCache = new(() => Sh.Ok("ldconfig", "-p"));

    /// <summary>The host's 64-bit library of that soname (ldconfig's cache), or null.</summary>
    private static string? Library(string soname) =>
        LdconfigCache.Value.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith(soname + " ", StringComparison.Ordinal) && (l.Contains("x86-64", StringComparison.Ordinal) || l.Contains("AArch64", StringComparison.Ordinal)))
            .Select(l => l[(l.LastIndexOf("=> ", StringComparison.Ordinal) + 3)..])
            .FirstOrDefault(File.Exists);

    /// <summary>True when the library defines the symbol version (its name is in the file's version strings).</summary>
    private static bool DefinesVersion(string library, string version)
    {
        var bytes = File.ReadAllBytes(library);
        var needle = Encoding.ASCII.GetBytes("\0" + version + "\0");
        return bytes.AsSpan().IndexOf(needle) >= 0;
    }
}
