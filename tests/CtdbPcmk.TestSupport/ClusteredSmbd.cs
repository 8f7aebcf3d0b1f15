// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Globalization;
using CtdbPcmk.Linux;

namespace CtdbPcmk.TestSupport;

/// <summary>
/// Debian's smbd 4.17 with clustering = yes on one node of a cluster (through the daemon's Unix
/// socket), serving a guest share on 127.0.0.1 in its own namespace, every state path under its
/// own work directory. Stopped by the PID it was started with.
/// </summary>
public sealed class ClusteredSmbd : IDisposable
{
    private readonly Process _process;

    private ClusteredSmbd(Process process, NetNamespace ns, string logPath)
    {
        _process = process;
        Namespace = ns;
        LogPath = logPath;
    }

    public NetNamespace Namespace { get; }

    /// <summary>smbd's own output.</summary>
    public string LogPath { get; }

    /// <summary>
    /// Starts smbd (NetBIOS name <paramref name="netbiosName"/>, debug level
    /// <paramref name="debugLevel"/>, <paramref name="settings"/> added to [global]) and waits
    /// until it lists its shares.
    /// </summary>
    public static ClusteredSmbd Start(string ctdbSocket, string workDir, string shareDir, string netbiosName, int debugLevel,
        params string[] settings)
    {
        string conf = SmbConf.Write(ctdbSocket, workDir, shareDir, netbiosName, settings);
        string log = Path.Combine(workDir, "smbd.out");
        var ns = NetNamespace.Create();
        try
        {
            var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
            // sh, setsid and ip exec in turn, so the PID is smbd's own; output goes to a file, not
            // a pipe. --no-process-group keeps smbd in the group it starts in, and smbd's parent
            // signals its whole process group when it exits: setsid gives it a group of its own
            // instead of the test runner's.
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add("exec setsid \"$0\" \"$@\" >\"$LOG\" 2>&1 </dev/null");
            psi.ArgumentList.Add("ip");
            foreach (var a in ns.Exec("smbd", "-F", "--no-process-group", "--debug-stdout", "-d", debugLevel.ToString(CultureInfo.InvariantCulture), "-s", conf))
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
