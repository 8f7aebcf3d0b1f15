// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Globalization;
using CtdbPcmk.Linux;
using CtdbPcmk.TestSupport.Nfs4;

namespace CtdbPcmk.TestSupport.Ganesha;

/// <summary>
/// One running ganesha.nfsd. It daemonizes, so it is found by its pid file and stopped by that
/// PID; it is ready once its port answers the NFSv4 NULL procedure. All paths are absolute:
/// the daemon changes directory to /.
/// </summary>
public sealed class GaneshaProcess : IDisposable
{
    private GaneshaProcess(GaneshaOptions options, DBusDaemonProcess bus, int pid, string logPath)
    {
        Options = options;
        Bus = bus;
        Pid = pid;
        LogPath = logPath;
    }

    public GaneshaOptions Options { get; }

    public DBusDaemonProcess Bus { get; }

    public int Pid { get; }

    public string LogPath { get; }

    public string Address => Options.Address;

    public int Port => Options.Port;

    /// <summary>Writes the config, starts the daemon and waits until it answers NULL.</summary>
    public static GaneshaProcess Start(GaneshaOptions options, DBusDaemonProcess bus, TimeSpan? timeout = null)
    {
        string name = options.NodeId is { } n ? $"ganesha-node{n}" : "ganesha";
        string config = Path.Combine(options.WorkDir, name + ".conf");
        string log = Path.Combine(options.WorkDir, name + ".log");
        string pidFile = Path.Combine(options.WorkDir, name + ".pid");
        Directory.CreateDirectory(options.RecoveryRoot);
        Directory.CreateDirectory(options.ExportPath);
        File.WriteAllText(config, options.ConfigText());
        File.Delete(pidFile);
        List<string> argv = ["env", $"DBUS_SYSTEM_BUS_ADDRESS={bus.Address}", "ganesha.nfsd",
            "-f", config, "-L", log, "-p", pidFile, "-N", "NIV_EVENT"];
        if (options.NodeId is { } nodeId)
        {
            argv.AddRange(["-I", nodeId.ToString(CultureInfo.InvariantCulture)]);
        }
        var started = Sh.RunToFiles(argv, timeout: TimeSpan.FromSeconds(20));
        Assert.True(started.Ok, $"ganesha.nfsd: {started}\n{Tail(log)}");

        var limit = Stopwatch.StartNew();
        var wait = timeout ?? TimeSpan.FromSeconds(20);
        int pid = 0;
        while (limit.Elapsed < wait)
        {
            if (pid == 0 && File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture, out int p))
            {
                pid = p;
            }
            if (pid != 0 && Nfs4Client.Answers(options.Address, options.Port, TimeSpan.FromSeconds(2)))
            {
                return new GaneshaProcess(options, bus, pid, log);
            }
            if (pid != 0 && !DaemonProcess.IsAlive(pid))
            {
                break;
            }
            Thread.Sleep(100);
        }
        if (pid != 0)
        {
            DaemonProcess.Signal(pid, DaemonProcess.SigKill);
        }
        Assert.Fail($"ganesha.nfsd on {options.Address}:{options.Port} (pid {pid}) did not answer within {wait.TotalSeconds:F0} s\n{Tail(log)}");
        throw new UnreachableException();
    }

    /// <summary>SIGKILL, as a crash: nothing is cleaned up, the recovery records stay.</summary>
    public void Kill()
    {
        DaemonProcess.Signal(Pid, DaemonProcess.SigKill);
        Assert.True(DaemonProcess.WaitGone(Pid, DateTime.UtcNow.AddSeconds(10)), $"ganesha pid {Pid} survived SIGKILL");
    }

    /// <summary>SIGTERM, then SIGKILL after <paramref name="grace"/>.</summary>
    public void Stop(TimeSpan? grace = null)
    {
        if (!DaemonProcess.IsAlive(Pid))
        {
            return;
        }
        DaemonProcess.Signal(Pid, DaemonProcess.SigTerm);
        if (!DaemonProcess.WaitGone(Pid, DateTime.UtcNow + (grace ?? TimeSpan.FromSeconds(10))))
        {
            Kill();
        }
    }

    /// <summary>
    /// Calls org.ganesha.nfsd.admin.grace with <paramref name="argument"/> ("4:&lt;nodeid&gt;" to
    /// take over a node's clients, "5:&lt;ip&gt;" to take over an address's, "2:&lt;ip&gt;" to
    /// release one) and returns dbus-send's output.
    /// </summary>
    public string Grace(string argument)
    {
        var result = Sh.Run(["dbus-send", "--system", "--print-reply", "--dest=org.ganesha.nfsd",
            "/org/ganesha/nfsd/admin", "org.ganesha.nfsd.admin.grace", $"string:{argument}"],
            new Dictionary<string, string> { ["DBUS_SYSTEM_BUS_ADDRESS"] = Bus.Address }, timeoutMs: 20_000);
        Assert.True(result.Ok, $"grace {argument}: {result}\n{LogTail()}");
        return result.Stdout;
    }

    /// <summary>The last lines of the log, for assertion messages.</summary>
    public string LogTail(int lines = 40) => Tail(LogPath, lines);

    public void Dispose() => Stop(TimeSpan.FromSeconds(5));

    private static string Tail(string path, int lines = 40)
    {
        if (!File.Exists(path))
        {
            return $"(no log at {path})";
        }
        var all = File.ReadAllLines(path);
        return $"--- {path} (last {Math.Min(lines, all.Length)} lines)\n" + string.Join('\n', all.TakeLast(lines));
    }
}
