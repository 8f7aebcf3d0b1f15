// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;

namespace CtdbPcmk.Agents.Tests;

/// <summary>Runs a test helper command (ip, tshark, the agent) and captures its output.</summary>
internal sealed record Cmd(int ExitCode, string Stdout, string Stderr)
{
    public static Cmd Run(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null, int timeoutMs = 60_000)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        if (env is not null)
        {
            foreach (var (k, v) in env)
            {
                info.Environment[k] = v;
            }
        }
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutMs))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish in {timeoutMs} ms");
        }
        p.WaitForExit();
        return new Cmd(p.ExitCode, stdout.Result, stderr.Result);
    }

    public static Cmd Check(string program, params string[] args)
    {
        var r = Run(program, args);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({r.ExitCode}): {r.Stderr}");
        }
        return r;
    }

    /// <summary>The last ocf-exit-reason line without its prefix, or null.</summary>
    public string? Reason => Stderr.Split('\n')
        .Where(l => l.StartsWith("ocf-exit-reason:", StringComparison.Ordinal))
        .Select(l => l["ocf-exit-reason:".Length..].TrimEnd('\r'))
        .LastOrDefault();
}
