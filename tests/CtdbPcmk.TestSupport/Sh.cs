// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;

namespace CtdbPcmk.TestSupport;

/// <summary>Runs a program with an argv list and captures its output.</summary>
public static partial class Sh
{
    public sealed record Result(int Code, string Stdout, string Stderr)
    {
        public bool Ok => Code == 0;

        /// <summary>Both streams, stdout first.</summary>
        public string Output => Stdout + Stderr;

        public override string ToString() => $"exit {Code}\nstdout: {Stdout}\nstderr: {Stderr}";
    }

    /// <summary>
    /// Runs to completion. <paramref name="environment"/> is added to the inherited environment,
    /// or with <paramref name="cleanEnvironment"/> is the whole environment (as Pacemaker gives
    /// an agent).
    /// </summary>
    public static Result Run(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string>? environment = null,
        string? stdin = null, int timeoutMs = 120_000, bool cleanEnvironment = false)
    {
        using var process = new Process { StartInfo = Info(argv, environment, cleanEnvironment) };
        process.StartInfo.RedirectStandardInput = stdin is not null;
        process.Start();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }

        if (!process.WaitForExit(timeoutMs))
        {
            process.Kill();
            process.WaitForExit();
            throw new TimeoutException($"{string.Join(' ', argv)} did not finish in {timeoutMs} ms");
        }

        process.WaitForExit();
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static Result Run(params string[] argv) => Run((IReadOnlyList<string>)argv);

    /// <summary>Runs <paramref name="program"/> with <paramref name="args"/>; see the argv form.</summary>
    public static Result Run(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null,
        int timeoutMs = 120_000) => Run([program, .. args], environment, timeoutMs: timeoutMs);

    /// <summary>Runs and throws with the output on a non-zero exit.</summary>
    public static Result Check(string program, params string[] args)
    {
        var r = Run(program, args);
        return r.Ok ? r : throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({r.Code}): {r.Stderr}");
    }

    /// <summary>Runs and fails the test on a non-zero exit.</summary>
    public static string Ok(params string[] argv)
    {
        var result = Run(argv);
        Assert.True(result.Code == 0, $"{string.Join(' ', argv)}: {result}");
        return result.Stdout;
    }

    /// <summary>Start information with output captured; see <see cref="Run(IReadOnlyList{string}, IReadOnlyDictionary{string, string}?, string?, int, bool)"/>.</summary>
    public static ProcessStartInfo Info(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string>? environment = null,
        bool cleanEnvironment = false)
    {
        var info = new ProcessStartInfo(argv[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in argv.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        if (cleanEnvironment)
        {
            info.Environment.Clear();
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return info;
    }
}
