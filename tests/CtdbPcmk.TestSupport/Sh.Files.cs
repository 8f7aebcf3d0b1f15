// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;

namespace CtdbPcmk.TestSupport;

public static partial class Sh
{
    /// <summary>
    /// Runs to completion with stdout and stderr in files, not pipes: the cluster harness starts
    /// daemons that inherit its output and outlive it, and a pipe would keep the caller waiting
    /// for them. <paramref name="stdin"/> (or nothing) is the input. On timeout the process is
    /// killed by its PID and a <see cref="TimeoutException"/> names it.
    /// </summary>
    public static Result RunToFiles(IReadOnlyList<string> argv, string? stdin = null, TimeSpan? timeout = null)
    {
        string tmp = Path.Combine(Path.GetTempPath(), $"cpk-run-{Guid.NewGuid():N}");
        string output = tmp + ".out";
        string error = tmp + ".err";
        string input = tmp + ".in";
        File.WriteAllText(input, stdin ?? "");
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("exec \"$0\" \"$@\" >\"$CPK_OUT\" 2>\"$CPK_ERR\" <\"$CPK_IN\"");
        foreach (var a in argv)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["CPK_OUT"] = output;
        psi.Environment["CPK_ERR"] = error;
        psi.Environment["CPK_IN"] = input;
        try
        {
            using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {argv[0]}");
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
                throw new TimeoutException($"{string.Join(' ', argv)} did not finish within {limit.TotalSeconds:F0} s: {Read(output)}{Read(error)}");
            }
            return new Result(p.ExitCode, Read(output), Read(error));
        }
        finally
        {
            File.Delete(output);
            File.Delete(error);
            File.Delete(input);
        }
    }

    private static string Read(string path) => File.Exists(path) ? File.ReadAllText(path) : "";
}
