// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using CtdbPcmk.Linux;

namespace CtdbPcmk.Cluster.Tests;

/// <summary>
/// Debian's smbd 4.17 with clustering = yes on one node of a cluster, serving a guest share on
/// 127.0.0.1 in its own namespace, every state path under its own work directory. Kernel share
/// modes, kernel oplocks and POSIX locking are off, so two smbd on this one host can only see
/// each other's opens and byte-range locks through the clustered databases. Stopped by its PID.
/// </summary>
internal sealed class ClusteredSmbd : IDisposable
{
    private readonly Process _process;

    private ClusteredSmbd(Process process, NetNamespace ns, string logPath)
    {
        _process = process;
        Namespace = ns;
        LogPath = logPath;
    }

    public NetNamespace Namespace { get; }

    public string LogPath { get; }

    public static ClusteredSmbd Start(string ctdbSocket, string workDir, string shareDir)
    {
        string conf = SmbConf.Write(ctdbSocket, workDir, shareDir, "CLUSTERTEST", "kernel share modes = no", "kernel oplocks = no", "posix locking = no");
        string log = Path.Combine(workDir, "smbd.out");
        var ns = NetNamespace.Create();
        try
        {
            var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
            // sh, setsid and ip exec in turn, so the PID is smbd's own. smbd's parent signals its
            // whole process group when it exits: setsid gives it one of its own.
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add("exec setsid \"$0\" \"$@\" >\"$LOG\" 2>&1 </dev/null");
            psi.ArgumentList.Add("ip");
            foreach (var a in ns.Exec("smbd", "-F", "--no-process-group", "--debug-stdout", "-d", "1", "-s", conf))
            {
                psi.ArgumentList.Add(a);
            }
            psi.Environment["LOG"] = log;
            var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start smbd");
            var smbd = new ClusteredSmbd(p, ns, log);
            try
            {
                smbd.WaitReady();
                return smbd;
            }
            catch
            {
                smbd.Dispose();
                throw;
            }
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    public string Log() => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";

    /// <summary>Runs smbclient as a guest on the share, in <paramref name="localDir"/>.</summary>
    public Sh.Result Smbclient(string localDir, string commands) =>
        Sh.RunToFiles(["ip", .. Namespace.Exec("smbclient", "-N", "//127.0.0.1/share", "-c", $"lcd {localDir}; {commands}")]);

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _ = ProcessSignal.Send(_process.Id, ProcessSignal.SigTerm);
                if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
                {
                    _process.Kill();
                    _process.WaitForExit();
                }
            }
            _process.Dispose();
        }
        finally
        {
            Namespace.Dispose();
        }
    }

    private void WaitReady()
    {
        var sw = Stopwatch.StartNew();
        Sh.Result? last = null;
        while (sw.Elapsed < TimeSpan.FromSeconds(45))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"smbd exited with {_process.ExitCode}:\n{Log()}");
            }
            last = Sh.RunToFiles(["ip", .. Namespace.Exec("smbclient", "-N", "-L", "//127.0.0.1")]);
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
            Thread.Sleep(250);
        }
        throw new TimeoutException($"smbd does not answer share listing: {last}\n{Log()}");
    }
}
