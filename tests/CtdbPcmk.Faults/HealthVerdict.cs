// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.HealthOcf;

namespace CtdbPcmk.Faults;

/// <summary>
/// The verdict of ocf:ctdb:health (run in-process through the OCF runtime) on a node of a local
/// cluster: its file system check on the node's database directory at the default thresholds
/// (90/95 %) and its daemon check on the node's socket. There is no Pacemaker here, so
/// attrd_updater is a script that records what the agent would publish.
/// </summary>
internal static class HealthVerdict
{
    public static string Of(LocalCluster c, int pnn, string dbDir)
    {
        string dir = Path.Combine(c.Directory, "health");
        Directory.CreateDirectory(dir);
        string updater = Path.Combine(dir, "attrd_updater");
        if (!File.Exists(updater))
        {
            File.WriteAllText(updater, $"#!/bin/sh\necho \"$*\" >> {dir}/published\n");
            File.SetUnixFileMode(updater, (UnixFileMode)0x1ED);
        }
        var env = new Dictionary<string, string>
        {
            ["OCF_RESOURCE_INSTANCE"] = $"health-node{pnn}",
            ["HA_RSCTMP"] = Path.Combine(dir, "rsctmp"),
            ["OCF_RESKEY_attrd_updater"] = updater,
            ["OCF_RESKEY_filesystems"] = dbDir,
            ["OCF_RESKEY_memory_warn"] = "100",
            ["OCF_RESKEY_memory_critical"] = "100",
            ["OCF_RESKEY_ctdb_socket"] = c.Socket(pnn),
        };
        var r = AgentRun.Of(new HealthAgent(), "start", env);
        string line = r.Stderr.Split('\n').FirstOrDefault(l => l.Contains("#health-ctdb", StringComparison.Ordinal))?.Trim() ?? "";
        return r.ExitCode == 0 ? line : $"start exit {r.ExitCode}: {r.Stderr.Trim()}";
    }
}
