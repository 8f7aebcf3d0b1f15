// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;

namespace CtdbPcmk.Portblock.Tests;

/// <summary>Runs the installed portblock agent (optionally inside a namespace) with an explicit environment.</summary>
internal sealed class AgentProcess
{
    public const string DefaultPath = "/usr/sbin:/usr/bin:/sbin:/bin";
    private readonly Dictionary<string, string> _env;

    public AgentProcess(string instance, string stateDir, params (string Name, string Value)[] parameters)
    {
        _env = new Dictionary<string, string>
        {
            ["PATH"] = DefaultPath,
            ["OCF_ROOT"] = OcfRoot.Path,
            ["OCF_RESOURCE_INSTANCE"] = instance,
            ["OCF_RA_VERSION_MAJOR"] = "1",
            ["OCF_RA_VERSION_MINOR"] = "1",
            ["OCF_RESKEY_CRM_meta_timeout"] = "20000",
            ["HA_RSCTMP"] = stateDir,
        };
        foreach (var (name, value) in parameters)
        {
            _env["OCF_RESKEY_" + name] = value;
        }
    }

    public IReadOnlyDictionary<string, string> Environment => _env;

    public AgentProcess With(string variable, string value)
    {
        _env[variable] = value;
        return this;
    }

    public Result Run(Netns? ns, string action)
    {
        List<string> argv = ns is null ? [] : ["ip", "netns", "exec", ns.Name];
        argv.AddRange([OcfRoot.Agent("portblock"), action]);
        var watch = Stopwatch.StartNew();
        var r = Sh.Run(argv, _env, cleanEnvironment: true);
        return new Result(r.Code, r.Stdout, r.Stderr, watch.Elapsed);
    }

    public sealed record Result(int Code, string Stdout, string Stderr, TimeSpan Elapsed)
    {
        public string? Reason => Stderr.Split('\n')
            .Where(l => l.StartsWith("ocf-exit-reason:", StringComparison.Ordinal))
            .Select(l => l["ocf-exit-reason:".Length..])
            .LastOrDefault();

        public override string ToString() => $"exit {Code} in {Elapsed.TotalMilliseconds:F1} ms\nstdout: {Stdout}\nstderr: {Stderr}";
    }
}
