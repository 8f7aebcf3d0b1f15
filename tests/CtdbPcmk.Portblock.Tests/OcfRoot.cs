// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Portblock.Tests;

/// <summary>
/// The installed Native AOT agents the namespace tests run: CTDBPCMK_OCF_ROOT when it holds
/// resource.d/ctdb/portblock (e.g. from "make ocf-root"), otherwise an OCF root published once
/// per test run with agents/install-ocf-root.sh under artifacts/.
/// </summary>
internal static class OcfRoot
{
    private static readonly Lazy<string> s_root = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Path => s_root.Value;

    public static string Agent(string name) => System.IO.Path.Combine(Path, "resource.d", "ctdb", name);

    private static string Install()
    {
        var given = Environment.GetEnvironmentVariable("CTDBPCMK_OCF_ROOT");
        if (!string.IsNullOrEmpty(given) && File.Exists(System.IO.Path.Combine(given, "resource.d", "ctdb", "portblock")))
        {
            return given;
        }

        var root = System.IO.Path.Combine(RepoPaths.Root, "artifacts", "ocf-root-portblock-tests");
        var result = Sh.Run(["bash", System.IO.Path.Combine(RepoPaths.Root, "agents", "install-ocf-root.sh"), root, "Release"], timeoutMs: 600_000);
        if (result.Code != 0)
        {
            throw new InvalidOperationException("publishing the agents failed: " + result);
        }

        return root;
    }
}
