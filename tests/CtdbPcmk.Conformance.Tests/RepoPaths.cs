// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Conformance.Tests;

/// <summary>Locations inside the source tree the tests run from.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The repository's top directory (the one holding CtdbPcmk.sln).</summary>
    public static string Root => s_root.Value;

    /// <summary>
    /// The cluster harness. CTDBPCMK_LOCAL_DAEMONS may name another copy with the same
    /// command line (e.g. while working on the harness itself).
    /// </summary>
    public static string LocalDaemons =>
        Environment.GetEnvironmentVariable("CTDBPCMK_LOCAL_DAEMONS") is { Length: > 0 } p
            ? p
            : Path.Combine(Root, "tests", "local-daemons");

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "CtdbPcmk.sln")))
            {
                return d.FullName;
            }
        }
        throw new InvalidOperationException($"no CtdbPcmk.sln above {AppContext.BaseDirectory}");
    }
}
