// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CtdbPcmk.CommandRunner;
using CtdbPcmk.Linux.Netlink;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Conntrack;

/// <summary>
/// conntrackd on this node: started (daemonized) with the agent's or the administrator's
/// configuration, asked for a resync from its peers, stopped, and on address takeover told to
/// put the connections its peers replicated into the kernel's conntrack table. Every call of
/// conntrackd goes through the runner; <paramref name="interfaceAddress"/> finds the sync
/// interface's IPv4 address (rtnetlink in this process's namespace unless given).
/// </summary>
internal sealed class ConntrackdService(ConntrackdSettings settings, ICommandRunner runner, OcfLog log,
    Func<string, IPAddress>? interfaceAddress = null)
{
    private const string Program = "conntrackd";
    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromSeconds(5);
    // A commit writes the whole external cache into the kernel: allow it more time.
    private static readonly TimeSpan s_commitTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan s_startWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_stopWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(100);

    /// <summary>The configuration conntrackd runs with: the administrator's file, or the one the agent writes.</summary>
    public string ConfigPath => settings.ConfigFile ?? Path.Combine(settings.StateDir, ConntrackdConfigWriter.ConfigName);

    /// <summary>The daemon's log when the agent wrote the configuration, else null.</summary>
    private string? GeneratedLogFile =>
        settings.ConfigFile is null ? Path.Combine(settings.StateDir, ConntrackdConfigWriter.LogName) : null;

    /// <summary>
    /// Writes the configuration (unless the administrator gave one), starts conntrackd when it is
    /// not answering (after removing a lock file left by a daemon that died), waits until it
    /// answers and asks the peers to send their state. Already running: nothing is started.
    /// </summary>
    public void Start()
    {
        var binary = FindBinary() ?? throw OcfException.Installed($"{Program} is not installed (package conntrackd)");
        var paths = PrepareConfig();
        if (paths.UnixSocket is null)
        {
            throw OcfException.Configured($"{ConfigPath} has no General {{ UNIX {{ Path ... }} }}: conntrackd could not be controlled");
        }
        if (Answers(binary, paths))
        {
            log.Info($"{Program} is already running with {ConfigPath}");
            return;
        }
        if (File.Exists(paths.LockFile))
        {
            log.Info($"removing {paths.LockFile}: no {Program} answers on {paths.UnixSocket}");
            File.Delete(paths.LockFile);
        }

        var logStart = LogLength();
        var daemon = Control(binary, "-d", s_commandTimeout);
        if (!daemon.Succeeded)
        {
            throw OcfException.Generic($"{Program} -C {ConfigPath} -d failed: {Why(daemon, logStart)}");
        }
        if (!WaitFor(() => Answers(binary, paths), s_startWait))
        {
            throw OcfException.Generic($"{Program} started with {ConfigPath} but did not answer within {s_startWait.TotalSeconds:0} s{LogTail(logStart)}");
        }
        var resync = Control(binary, "-n", s_commandTimeout);
        if (!resync.Succeeded)
        {
            log.Warning($"{Program} -n (resync request to the peers) failed: {Why(resync, null)}");
        }
        log.Info($"{Program} started with {ConfigPath}");
    }

    /// <summary>
    /// True when conntrackd answers on its control socket; false when it is not installed or
    /// the administrator's configuration is gone (nothing could talk to it then).
    /// </summary>
    public bool IsRunning() => FindBinary() is { } binary && TryReadPaths() is { } paths && Answers(binary, paths);

    /// <summary>Asks conntrackd to exit and waits until it is gone; success when it was not running.</summary>
    public void Stop()
    {
        if (FindBinary() is not { } binary || TryReadPaths() is not { } paths || !Answers(binary, paths))
        {
            log.Info($"{Program} is not running");
            return;
        }
        var kill = Control(binary, "-k", s_commandTimeout);
        if (!kill.Succeeded)
        {
            log.Warning($"{Program} -k failed: {Why(kill, null)}");
        }
        if (!WaitFor(() => !Answers(binary, paths), s_stopWait))
        {
            throw OcfException.Generic($"{Program} ({ConfigPath}) is still running {s_stopWait.TotalSeconds:0} s after the request to exit");
        }
        log.Info($"{Program} stopped");
    }

    /// <summary>
    /// An address was taken over here: writes the connections the peers replicated (the external
    /// cache) into the kernel's table, then empties the caches, reloads the internal cache from
    /// the kernel and sends it all to the peers, so that they hold this node's view from now on.
    /// Only a failed commit fails; the other steps are logged.
    /// </summary>
    public void CommitTakeover()
    {
        var binary = FindBinary() ?? throw OcfException.Installed($"{Program} is not installed (package conntrackd)");
        var commit = Control(binary, "-c", s_commitTimeout);
        if (!commit.Succeeded)
        {
            var reason = $"{Program} -c (commit of the replicated connections into the kernel) failed: {Why(commit, null)}";
            log.Error(reason);
            throw OcfException.Generic(reason);
        }
        foreach (var (option, what) in new[] { ("-f", "flush of the caches"), ("-R", "resync with the kernel table"), ("-B", "bulk send to the peers") })
        {
            var result = Control(binary, option, s_commandTimeout);
            if (!result.Succeeded)
            {
                log.Error($"{Program} {option} ({what}) failed: {Why(result, null)}");
            }
        }
        log.Info($"{Program}: replicated connections committed into the kernel table");
    }

    /// <summary>The first IPv4 address of an interface, read through rtnetlink.</summary>
    internal static IPAddress FindIPv4Address(string name)
    {
        using var rt = new RtNetlink();
        var link = rt.GetLinks().Find(l => l.HasName(name))
            ?? throw OcfException.Installed($"conntrackd_interface '{name}' does not exist on this node");
        var address = rt.GetAddresses(AddressFamily.InterNetwork).Find(a => a.Index == link.Index)
            ?? throw OcfException.Generic($"conntrackd_interface '{name}' has no IPv4 address");
        return address.Address;
    }

    private string? FindBinary() => runner.Find(Program);

    /// <summary>Writes the generated configuration, or checks the administrator's; returns its paths.</summary>
    private ConntrackdPaths PrepareConfig()
    {
        if (settings.ConfigFile is not null)
        {
            return ReadPaths();
        }
        var iface = settings.Interface ?? throw OcfException.Configured("conntrackd=true needs conntrackd_config or conntrackd_interface");
        var address = (interfaceAddress ?? FindIPv4Address)(iface);
        var text = ConntrackdConfigWriter.Write(settings, address, ReadConntrackMax());
        Directory.CreateDirectory(settings.StateDir);
        var temporary = ConfigPath + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, ConfigPath, overwrite: true);
        log.Debug($"wrote {ConfigPath}: sync over {iface} from {address} to {settings.Group} port {settings.Port}");
        return ReadPaths();
    }

    /// <summary>The control socket and lock file of the configuration in use.</summary>
    private ConntrackdPaths ReadPaths()
    {
        if (settings.ConfigFile is null)
        {
            var dir = settings.StateDir;
            return new ConntrackdPaths(Path.Combine(dir, ConntrackdConfigWriter.SocketName), Path.Combine(dir, ConntrackdConfigWriter.LockName));
        }
        try
        {
            return ConntrackdConfigWriter.FindPaths(File.ReadAllText(settings.ConfigFile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw OcfException.Installed($"conntrackd_config {settings.ConfigFile} cannot be read: {e.Message}");
        }
    }

    private ConntrackdPaths? TryReadPaths()
    {
        try
        {
            return ReadPaths();
        }
        catch (OcfException e)
        {
            log.Warning(e.Message);
            return null;
        }
    }

    /// <summary>conntrackd answers a statistics request (only tried when its socket exists).</summary>
    private bool Answers(string binary, ConntrackdPaths paths) =>
        (paths.UnixSocket is null || File.Exists(paths.UnixSocket)) && Control(binary, "-s", s_commandTimeout).Succeeded;

    private CommandResult Control(string binary, string option, TimeSpan timeout)
    {
        try
        {
            return runner.Run(binary, ["-C", ConfigPath, option], timeout);
        }
        catch (CommandNotFoundException e)
        {
            throw OcfException.Installed(e.Message);
        }
    }

    private static bool WaitFor(Func<bool> condition, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (condition())
            {
                return true;
            }
            if (clock.Elapsed >= limit)
            {
                return false;
            }
            Thread.Sleep(s_poll);
        }
    }

    /// <summary>Why a command failed: timeout or status, its output, and what the daemon logged since <paramref name="logStart"/>.</summary>
    private string Why(CommandResult result, long? logStart)
    {
        var why = result.TimedOut ? "timed out" : $"exit status {result.ExitCode.ToString(CultureInfo.InvariantCulture)}";
        var output = (result.Stderr.Trim() + " " + result.Stdout.Trim()).Trim();
        if (output.Length > 0)
        {
            why += $": {output}";
        }
        return why + (logStart is long start ? LogTail(start) : "");
    }

    private long LogLength()
    {
        try
        {
            return GeneratedLogFile is { } file && File.Exists(file) ? new FileInfo(file).Length : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>The error lines the daemon logged after <paramref name="start"/>, for exit reasons.</summary>
    private string LogTail(long start)
    {
        if (GeneratedLogFile is not { } file)
        {
            return "";
        }
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            if (stream.Length <= start)
            {
                return "";
            }
            stream.Seek(start, SeekOrigin.Begin);
            var lines = new StreamReader(stream).ReadToEnd()
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(l => l.Contains("[ERROR]", StringComparison.Ordinal))
                .TakeLast(3)
                .ToArray();
            return lines.Length == 0 ? "" : $" (log: {string.Join("; ", lines)})";
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>The kernel's conntrack table size, 0 when unknown (module not loaded).</summary>
    private static int ReadConntrackMax()
    {
        try
        {
            var text = File.ReadAllText("/proc/sys/net/netfilter/nf_conntrack_max").Trim();
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var max) ? max : 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
