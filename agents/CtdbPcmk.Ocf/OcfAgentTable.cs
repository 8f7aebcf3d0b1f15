// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Ocf;

/// <summary>
/// The multi-call dispatch: maps the name a binary is invoked as (the basename of argv[0], i.e. the
/// link name in the provider directory) to an agent, so each link behaves as its own executable.
/// </summary>
public sealed class OcfAgentTable
{
    private readonly Dictionary<string, Func<OcfAgent>> _agents = new(StringComparer.Ordinal);

    /// <summary>Registers an agent under its link name.</summary>
    public OcfAgentTable Add(string name, Func<OcfAgent> create)
    {
        _agents.Add(name, create);
        return this;
    }

    /// <summary>The registered link names.</summary>
    public IEnumerable<string> Names => _agents.Keys.Order(StringComparer.Ordinal);

    /// <summary>
    /// Runs the agent named by argv0's basename with the remaining arguments. When invoked under
    /// the multi-call binary's own name, the first argument names the agent instead.
    /// </summary>
    public int Main(string argv0, string selfName, string[] args, OcfEnvironment environment, TextWriter stdout, TextWriter stderr)
    {
        var name = Path.GetFileName(argv0);
        var rest = args;
        if (name == selfName && args is ["--list"])
        {
            foreach (var listed in Names)
            {
                stdout.WriteLine(listed);
            }
            return (int)OcfExitCode.Success;
        }
        if (name == selfName || !_agents.ContainsKey(name))
        {
            if (name == selfName && args.Length > 0 && _agents.ContainsKey(args[0]))
            {
                name = args[0];
                rest = args[1..];
            }
            else
            {
                stderr.WriteLine($"{selfName}: run as one of: {string.Join(", ", Names)} (link name), or {selfName} AGENT ACTION, or {selfName} --list");
                return (int)OcfExitCode.ErrInstalled;
            }
        }
        OcfAgent agent;
        try
        {
            agent = _agents[name]();
        }
        catch (Exception e)
        {
            stderr.WriteLine($"ocf-exit-reason:{name}: cannot initialise: {e.Message}");
            return (int)OcfExitCode.ErrGeneric;
        }
        return OcfRunner.Run(agent, rest, environment, stdout, stderr);
    }
}
