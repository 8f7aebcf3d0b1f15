// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using CtdbPcmk.Linux;

namespace CtdbPcmk.Conformance.Tests;

/// <summary>
/// Debian's smbd 4.17 with clustering on, talking to a daemon through its Unix socket and
/// serving one guest share on 127.0.0.1 inside a namespace. Stopped by the PID it was started with.
/// </summary>
internal sealed class SmbdServer : IAsyncDisposable
{
    private readonly Process _process;

    private SmbdServer(Process process, string logPath)
    {
        _process = process;
        LogPath = logPath;
    }

    /// <summary>smbd's own output (debug level 2).</summary>
    public string LogPath { get; }

    public static async Task<SmbdServer> StartAsync(NetNamespace ns, string ctdbSocket, string workDir, string shareDir)
    {
        string conf = SmbConf.Write(ctdbSocket, workDir, shareDir, "CONFTEST");
        string log = Path.Combine(workDir, "smbd.out");
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        // sh, setsid and ip exec in turn, so the PID is smbd's own; output goes to a file, not
        // a pipe. --no-process-group keeps smbd in the group it starts in, and smbd's parent
        // signals its whole process group when it exits: setsid gives it a group of its own
        // instead of the test runner's.
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("exec setsid \"$0\" \"$@\" >\"$LOG\" 2>&1 </dev/null");
        psi.ArgumentList.Add("ip");
        foreach (var a in ns.Exec("smbd", "-F", "--no-process-group", "--debug-stdout", "-d", "2", "-s", conf))
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["LOG"] = log;
        var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start smbd");
        var server = new SmbdServer(p, log);
        try
        {
            await server.WaitReadyAsync(ns);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public string Log() => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = ProcessSignal.Send(_process.Id, ProcessSignal.SigTerm);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
    }

    private async Task WaitReadyAsync(NetNamespace ns)
    {
        var sw = Stopwatch.StartNew();
        Sh.Result? last = null;
        while (sw.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"smbd exited with {_process.ExitCode}:\n{Log()}");
            }
            last = Sh.Run(["ip", .. ns.Exec("smbclient", "-N", "-L", "//127.0.0.1")]);
            if (last.Ok)
            {
                // Stopping by PID relies on the exec chain having kept it.
                string comm = File.ReadAllText($"/proc/{_process.Id}/comm").Trim();
                if (comm != "smbd")
                {
                    throw new InvalidOperationException($"PID {_process.Id} is {comm}, not smbd");
                }
                return;
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"smbd does not answer share listing: {last}\n{Log()}");
    }
}
