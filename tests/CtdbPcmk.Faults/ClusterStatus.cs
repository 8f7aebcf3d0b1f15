// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text.RegularExpressions;

namespace CtdbPcmk.Faults;

/// <summary>"ctdb status" on every node through the real tool: every node OK, recovery mode NORMAL.</summary>
internal static partial class ClusterStatus
{
    public static List<string> Problems(LocalCluster c, int nodes)
    {
        var problems = new List<string>();
        for (int pnn = 0; pnn < nodes; pnn++)
        {
            var r = CtdbTool.Run(c, pnn, ["status"], null, TimeSpan.FromSeconds(30));
            if (!r.Ok)
            {
                problems.Add($"node {pnn}: ctdb status failed: {r.Output}");
                continue;
            }
            var ok = NodeLine().Matches(r.Output).Where(m => m.Groups[2].Value.StartsWith("OK", StringComparison.Ordinal)).Select(m => m.Groups[1].Value).ToHashSet();
            if (ok.Count != nodes)
            {
                problems.Add($"node {pnn}: not every node OK: {r.Output.Replace('\n', ' ')}");
            }
            if (!r.Output.Contains("Recovery mode:NORMAL", StringComparison.Ordinal))
            {
                problems.Add($"node {pnn}: recovery mode not NORMAL: {r.Output.Replace('\n', ' ')}");
            }
        }
        return problems;
    }

    [GeneratedRegex(@"^pnn:(\d+)\s+\S+\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex NodeLine();
}
