// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Nfs.Tests;

/// <summary>One action of an agent run in-process through the OCF runtime with an explicit environment.</summary>
internal sealed record AgentRun(int ExitCode, string Stdout, string Stderr)
{
    public static AgentRun Of(OcfAgent agent, string action, IReadOnlyDictionary<string, string> environment)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = OcfRunner.Run(agent, [action], OcfEnvironment.From(environment), stdout, stderr);
        return new AgentRun(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The last ocf-exit-reason line without its prefix, or null.</summary>
    public string? Reason => Stderr.Split('\n')
        .Where(l => l.StartsWith("ocf-exit-reason:", StringComparison.Ordinal))
        .Select(l => l["ocf-exit-reason:".Length..].TrimEnd('\r'))
        .LastOrDefault();

    public override string ToString() => $"exit {ExitCode}\n{Stderr}";
}
