// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;

namespace CtdbPcmk.Portblock.Tests;

/// <summary>Runs a program with an argv list and captures its output.</summary>
internal static class Sh
{
    public sealed record Result(int Code, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {Code}\nstdout: {Stdout}\nstderr: {Stderr}";
    }

    public static Result Run(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string>? environment = null, string? stdin = null, int timeoutMs = 60000)
    {
        using var process = new Process { StartInfo = Info(argv, environment) };
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

    /// <summary>Runs and fails the test on a non-zero exit.</summary>
    public static string Ok(params string[] argv)
    {
        var result = Run(argv);
        Assert.True(result.Code == 0, $"{string.Join(' ', argv)}: {result}");
        return result.Stdout;
    }

    public static ProcessStartInfo Info(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string>? environment)
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

        if (environment is not null)
        {
            info.Environment.Clear();
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        return info;
    }
}
