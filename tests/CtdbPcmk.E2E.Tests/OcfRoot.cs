// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.E2E.Tests;

/// <summary>
/// The OCF root the boxes layer into their nodes: CTDBPCMK_OCF_ROOT when it holds the agents,
/// otherwise one published once per test run with agents/install-ocf-root.sh under artifacts/.
/// </summary>
internal static class OcfRoot
{
    private static readonly Lazy<string> s_root = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Path => s_root.Value;

    public static IReadOnlyList<string> Agents =>
        [.. Directory.GetFileSystemEntries(System.IO.Path.Combine(Path, "resource.d", "ctdb")).Select(System.IO.Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    private static string Install()
    {
        var given = Environment.GetEnvironmentVariable("CTDBPCMK_OCF_ROOT");
        if (!string.IsNullOrEmpty(given) && File.Exists(System.IO.Path.Combine(given, "resource.d", "ctdb", "vip")))
        {
            return given;
        }

        var root = System.IO.Path.Combine(RepoPaths.Root, "artifacts", "ocf-root-e2e-tests");
        var result = Sh.Run(["bash", System.IO.Path.Combine(RepoPaths.Root, "agents", "install-ocf-root.sh"), root, "Release"], timeoutMs: 900_000);
        if (result.Code != 0)
        {
            throw new InvalidOperationException("publishing the agents failed: " + result);
        }

        return root;
    }
}
