// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;

namespace CtdbPcmk.TestSupport;

public static partial class Sh
{
    /// <summary>
    /// Runs a long program (a fault or fuzz run) with its output captured; past
    /// <paramref name="limit"/> it is killed with everything it started (its clusters' daemons
    /// included) and <see cref="OperationCanceledException"/> is thrown.
    /// </summary>
    public static async Task<Result> RunTreeAsync(ProcessStartInfo psi, TimeSpan limit)
    {
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timer = new CancellationTokenSource(limit);
        try
        {
            await p.WaitForExitAsync(timer.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw;
        }
        return new Result(p.ExitCode, await stdout, await stderr);
    }
}
