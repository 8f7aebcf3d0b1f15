// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Agents.Tests;

/// <summary>What an agent run as a program wrote for Pacemaker.</summary>
internal static class OcfOutput
{
    extension(Sh.Result r)
    {
        /// <summary>The last ocf-exit-reason line without its prefix, or null.</summary>
        public string? Reason => r.Stderr.Split('\n')
            .Where(l => l.StartsWith("ocf-exit-reason:", StringComparison.Ordinal))
            .Select(l => l["ocf-exit-reason:".Length..].TrimEnd('\r'))
            .LastOrDefault();
    }
}
