// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Globalization;

namespace CtdbPcmk.Faults;

/// <summary>
/// Runs the real ctdb tool straight against one node of a local-daemons cluster (the environment
/// the harness's "ctdb" command sets, without its shell in between, so a writer knows to the
/// millisecond when its transaction began). A run that outlives its limit is killed by its PID.
/// </summary>
internal static class CtdbTool
{
    public sealed record Outcome(bool Ok, int Code, string Output, TimeSpan Took);

    public static Outcome Run(LocalCluster c, int pnn, IReadOnlyList<string> args, string? stdin, TimeSpan limit)
    {
        var psi = new ProcessStartInfo("ctdb")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["CTDB_TEST_MODE"] = "yes";
        psi.Environment["CTDB_BASE"] = Path.Combine(c.Directory, "node." + pnn.ToString(CultureInfo.InvariantCulture));
        psi.Environment["CTDB_SOCKET"] = c.Socket(pnn);
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start ctdb");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        try
        {
            p.StandardInput.Write(stdin ?? "");
            p.StandardInput.Close();
        }
        catch (IOException)
        {
            // The tool exited before reading its input (e.g. no daemon): its exit code tells.
        }
        if (!p.WaitForExit(limit))
        {
            try
            {
                p.Kill();
            }
            catch (InvalidOperationException)
            {
            }
            p.WaitForExit();
            return new Outcome(false, -1, $"killed after {limit.TotalSeconds:F0} s", sw.Elapsed);
        }
        p.WaitForExit();
        return new Outcome(p.ExitCode == 0, p.ExitCode, (stdout.Result + stderr.Result).Trim(), sw.Elapsed);
    }
}
