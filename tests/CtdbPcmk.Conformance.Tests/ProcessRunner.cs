// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;

namespace CtdbPcmk.Conformance.Tests;

/// <summary>Runs external programs (the ctdb tool, the cluster harness, smbclient) to completion.</summary>
internal static class ProcessRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Runs <paramref name="file"/> with an argv list (never a shell string), feeds
    /// <paramref name="stdin"/> and closes it, and waits for exit and both output streams.
    /// On timeout the process is killed by its PID and a <see cref="TimeoutException"/> names it.
    /// </summary>
    public static async Task<CommandResult> RunAsync(
        string file,
        IEnumerable<string> args,
        string? stdin = null,
        IReadOnlyDictionary<string, string>? env = null,
        TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        if (env is not null)
        {
            foreach (var (k, v) in env)
            {
                psi.Environment[k] = v;
            }
        }
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null)
            {
                await p.StandardInput.WriteAsync(stdin).ConfigureAwait(false);
            }
            p.StandardInput.Close();
        }
        catch (IOException)
        {
            // The program exited without reading its input; its output tells why.
        }
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await p.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            // A daemon started by the program may keep the pipes open: do not wait for it.
            var both = Task.WhenAll(stdout, stderr);
            await both.WaitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                p.Kill();
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
            throw new TimeoutException($"{file} {string.Join(' ', psi.ArgumentList)} did not finish in {timeout ?? DefaultTimeout}");
        }
        return new CommandResult(p.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>Runs a command and throws with its output unless it exits 0.</summary>
    public static async Task<CommandResult> CheckAsync(string file, params string[] args)
    {
        var r = await RunAsync(file, args).ConfigureAwait(false);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {r}");
        }
        return r;
    }
}
