// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Linux;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Conntrack;

// start, stop and monitor: the tracker process (found by the lock it holds on its PID file) and conntrackd.
public sealed partial class ConntrackAgent
{
    private static readonly TimeSpan s_requestTimeout = TimeSpan.FromSeconds(5);

    /// <inheritdoc/>
    public override OcfExitCode Start(OcfContext context)
    {
        var config = ConntrackConfig.Parse(context.Parameters);
        Directory.CreateDirectory(config.StateDir);
        new ConntrackHooks(_runner, context.Log).Enable();
        var conntrackd = Conntrackd(config, context);
        if (conntrackd is not null && !conntrackd.IsRunning())
        {
            conntrackd.Start();
        }
        if (DaemonProcess.LockHolder(config.PidFile) is int running && Ask(config, "status") is { } answer && answer.StartsWith("ok", StringComparison.Ordinal))
        {
            context.Log.Info($"tracker already running (process {running})");
            return OcfExitCode.Success;
        }
        var program = Environment.ProcessPath ?? throw OcfException.Generic("cannot tell this program's path to start the tracker");
        long logOffset = DaemonOutput.Length(config.LogFile);
        int pid = DaemonSpawner.Start(program, ["conntrack", "tracker"], config.LogFile, TrackerEnvironment());
        var deadline = DateTime.UtcNow + (context.Timeout ?? TimeSpan.FromSeconds(20)) - TimeSpan.FromSeconds(2);
        while (true)
        {
            if (Ask(config, "status") is { } reply && reply.StartsWith("ok", StringComparison.Ordinal))
            {
                context.Log.Info($"tracker started (process {pid}): {reply[3..]}");
                return OcfExitCode.Success;
            }
            if (!DaemonProcess.IsAlive(pid))
            {
                throw OcfException.Generic($"the tracker exited at start: {DaemonOutput.Since(config.LogFile, logOffset).Trim()}");
            }
            if (DateTime.UtcNow >= deadline)
            {
                DaemonProcess.Signal(pid, DaemonProcess.SigKill);
                throw OcfException.Generic($"the tracker (process {pid}) did not answer on {config.ControlSocket} in time");
            }
            Thread.Sleep(20);
        }
    }

    /// <inheritdoc/>
    public override OcfExitCode Stop(OcfContext context)
    {
        ConntrackConfig config;
        try
        {
            config = ConntrackConfig.Parse(context.Parameters);
        }
        catch (OcfException e) when (e.Code == OcfExitCode.ErrConfigured)
        {
            context.Log.Warning($"stop with invalid parameters ({e.Message}): nothing to do");
            return OcfExitCode.Success;
        }
        if (DaemonProcess.LockHolder(config.PidFile) is int pid)
        {
            DaemonProcess.Signal(pid, DaemonProcess.SigTerm);
            if (!DaemonProcess.WaitGone(pid, DateTime.UtcNow + TimeSpan.FromSeconds(8)))
            {
                context.Log.Warning($"tracker (process {pid}) did not stop on SIGTERM: killed");
                DaemonProcess.Signal(pid, DaemonProcess.SigKill);
                DaemonProcess.WaitGone(pid, DateTime.UtcNow + TimeSpan.FromSeconds(2));
            }
            context.Log.Info($"tracker (process {pid}) stopped");
        }
        Conntrackd(config, context)?.Stop();
        new ConntrackHooks(_runner, context.Log).Disable();
        return OcfExitCode.Success;
    }

    /// <inheritdoc/>
    public override OcfExitCode Monitor(OcfContext context)
    {
        var config = ConntrackConfig.Parse(context.Parameters);
        if (DaemonProcess.LockHolder(config.PidFile) is not int pid)
        {
            return OcfExitCode.NotRunning;
        }
        string? reply;
        try
        {
            reply = Ask(config, "status");
        }
        catch (IOException e)
        {
            throw OcfException.Generic($"tracker (process {pid}) does not answer: {e.Message}");
        }
        if (reply is null || !reply.StartsWith("ok", StringComparison.Ordinal))
        {
            throw OcfException.Generic($"tracker (process {pid}) does not answer on {config.ControlSocket}{(reply is null ? "" : ": " + reply)}");
        }
        context.Log.Debug($"tracker: {reply[3..]}");
        if (Conntrackd(config, context) is { } conntrackd && !conntrackd.IsRunning())
        {
            throw OcfException.Generic("conntrackd is not running");
        }
        return OcfExitCode.Success;
    }

    /// <summary>The resource's parameters (and name), which the tracker reads as the agent does.</summary>
    private static List<string> TrackerEnvironment()
    {
        var variables = new List<string>();
        foreach (var name in ConntrackParameters.All.Select(p => "OCF_RESKEY_" + p.Name).Append("OCF_RESOURCE_INSTANCE"))
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                variables.Add($"{name}={value}");
            }
        }
        return variables;
    }

    private static string? Ask(ConntrackConfig config, string request)
    {
        try
        {
            return UnixLineClient.Send(config.ControlSocket, request, s_requestTimeout);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
