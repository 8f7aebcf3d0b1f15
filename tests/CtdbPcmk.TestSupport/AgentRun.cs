// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Ocf;

namespace CtdbPcmk.TestSupport;

/// <summary>Runs an agent in-process through the OCF runtime with an explicit environment.</summary>
public sealed record AgentRun(int ExitCode, string Stdout, string Stderr)
{
    public static AgentRun Of(OcfAgent agent, string action, params (string Name, string Value)[] env) =>
        Of(agent, [action], env);

    /// <summary>Runs an action with arguments after it (an agent's own actions take some).</summary>
    public static AgentRun Of(OcfAgent agent, string[] argv, params (string Name, string Value)[] env) =>
        Of(agent, argv, env.ToDictionary(e => e.Name, e => e.Value));

    /// <summary>Runs an action with the environment given as a dictionary.</summary>
    public static AgentRun Of(OcfAgent agent, string action, IReadOnlyDictionary<string, string> variables) =>
        Of(agent, [action], variables);

    private static AgentRun Of(OcfAgent agent, string[] argv, IReadOnlyDictionary<string, string> variables)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = OcfRunner.Run(agent, argv, OcfEnvironment.From(variables), stdout, stderr);
        return new AgentRun(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The last ocf-exit-reason line without its prefix, or null.</summary>
    public string? Reason => Stderr.Split('\n')
        .Where(l => l.StartsWith("ocf-exit-reason:", StringComparison.Ordinal))
        .Select(l => l["ocf-exit-reason:".Length..].TrimEnd('\r'))
        .LastOrDefault();

    public override string ToString() => $"exit {ExitCode}\n{Stderr}";
}
