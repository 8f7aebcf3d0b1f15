// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;

namespace CtdbPcmk.ClusterKit;

/// <summary>
/// Runs a program to completion with its output (stdout and stderr together) in a file, not a
/// pipe: the harness starts daemons that inherit its output and outlive it, and a pipe would
/// keep the caller waiting for them.
/// </summary>
public static class Run
{
    /// <summary>
    /// Runs <paramref name="file"/> with an argv list, <paramref name="stdin"/> (or nothing) as
    /// input. On timeout the process is killed by its PID and a <see cref="TimeoutException"/> names it.
    /// </summary>
    public static RunResult Program(string file, IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null)
    {
        string tmp = Path.Combine(Path.GetTempPath(), $"cpk-run-{Guid.NewGuid():N}");
        string output = tmp + ".out";
        string input = tmp + ".in";
        File.WriteAllText(input, stdin ?? "");
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("exec \"$0\" \"$@\" >\"$CPK_OUT\" 2>&1 <\"$CPK_IN\"");
        psi.ArgumentList.Add(file);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["CPK_OUT"] = output;
        psi.Environment["CPK_IN"] = input;
        try
        {
            using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
            var limit = timeout ?? TimeSpan.FromSeconds(60);
            if (!p.WaitForExit(limit))
            {
                try
                {
                    p.Kill();
                }
                catch (InvalidOperationException)
                {
                    // It ended meanwhile.
                }
                p.WaitForExit();
                throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {limit.TotalSeconds:F0} s: {Read(output)}");
            }
            return new RunResult(p.ExitCode, Read(output));
        }
        finally
        {
            File.Delete(output);
            File.Delete(input);
        }
    }

    private static string Read(string path) => File.Exists(path) ? File.ReadAllText(path) : "";
}
