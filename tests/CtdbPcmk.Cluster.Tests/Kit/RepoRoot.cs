// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.ClusterKit;

/// <summary>Locations inside the source tree the tests and benchmarks run from.</summary>
public static class RepoRoot
{
    private static readonly Lazy<string> s_root = new(Find);

    /// <summary>The repository's top directory (the one holding CtdbPcmk.sln).</summary>
    public static string Path => s_root.Value;

    /// <summary>The cluster harness; CTDBPCMK_LOCAL_DAEMONS may name another copy with the same command line.</summary>
    public static string LocalDaemons =>
        Environment.GetEnvironmentVariable("CTDBPCMK_LOCAL_DAEMONS") is { Length: > 0 } p
            ? p
            : System.IO.Path.Combine(Path, "tests", "local-daemons");

    private static string Find()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(d.FullName, "CtdbPcmk.sln")))
            {
                return d.FullName;
            }
        }
        throw new InvalidOperationException($"no CtdbPcmk.sln above {AppContext.BaseDirectory}");
    }
}
