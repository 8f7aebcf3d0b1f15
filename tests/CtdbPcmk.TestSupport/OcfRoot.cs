// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.TestSupport;

/// <summary>
/// The installed Native AOT agents the tests run: CTDBPCMK_OCF_ROOT when it holds every agent
/// (e.g. from "make ocf-root"), otherwise an OCF root published once per test run with
/// agents/install-ocf-root.sh under artifacts/, one per test assembly so that test projects
/// running side by side do not publish over each other.
/// </summary>
public static class OcfRoot
{
    private static readonly string[] s_required = ["conntrack", "ctdbd", "health", "nfs", "portblock", "samba", "vip"];
    private static readonly Lazy<string> s_root = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Path => s_root.Value;

    public static string Agent(string name) => System.IO.Path.Combine(Path, "resource.d", "ctdb", name);

    /// <summary>The names of the installed agents, sorted.</summary>
    public static IReadOnlyList<string> Agents =>
        [.. Directory.GetFileSystemEntries(System.IO.Path.Combine(Path, "resource.d", "ctdb"))
            .Select(System.IO.Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    private static string Install()
    {
        var given = Environment.GetEnvironmentVariable("CTDBPCMK_OCF_ROOT");
        if (!string.IsNullOrEmpty(given)
            && s_required.All(a => File.Exists(System.IO.Path.Combine(given, "resource.d", "ctdb", a))))
        {
            return given;
        }

        // The test host loads one test assembly: it names the directory.
        var owner = AppDomain.CurrentDomain.GetAssemblies()
            .Select(a => a.GetName().Name)
            .FirstOrDefault(n => n is not null && n.EndsWith(".Tests", StringComparison.Ordinal)) ?? "tests";
        var root = System.IO.Path.Combine(RepoPaths.Root, "artifacts", "ocf-root-" + owner);
        var result = Sh.Run(["bash", System.IO.Path.Combine(RepoPaths.Root, "agents", "install-ocf-root.sh"), root, "Release"],
            timeoutMs: 900_000);
        if (result.Code != 0)
        {
            throw new InvalidOperationException("publishing the agents failed: " + result);
        }

        return root;
    }
}
