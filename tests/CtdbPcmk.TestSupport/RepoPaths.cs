// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.TestSupport;

/// <summary>Locations inside the source tree the tests run from.</summary>
public static class RepoPaths
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

    /// <summary>The built daemon: $CTDBPCMK_DAEMON, else the Release build in the repository.</summary>
    public static string Daemon =>
        Environment.GetEnvironmentVariable("CTDBPCMK_DAEMON") is { Length: > 0 } p
            ? p
            : Path.Combine(Root, "daemon", "CtdbPcmk.Daemon", "bin", "Release", "net10.0", "ctdb-pcmkd");

    /// <summary>The 3-node Pacemaker cluster in a box.</summary>
    public static string Box => Path.Combine(Root, "tests", "pcmk-box", "box");

    /// <summary>An agent's OCF metadata as shipped in ocf-metadata/.</summary>
    public static string Metadata(string agent) => Path.Combine(Root, "ocf-metadata", agent + ".xml");

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
