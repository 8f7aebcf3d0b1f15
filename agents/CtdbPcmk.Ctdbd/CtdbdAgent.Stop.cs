// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Client;
using CtdbPcmk.Linux;
using CtdbPcmk.Ocf;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Ctdbd;

public sealed partial class CtdbdAgent
{
    private static readonly TimeSpan s_stopFallback = TimeSpan.FromSeconds(100);
    private static readonly TimeSpan s_killWait = TimeSpan.FromSeconds(5);

    /// <summary>How long a daemon that does not answer gets after SIGTERM before SIGKILL.</summary>
    private static readonly TimeSpan s_hungTermWait = TimeSpan.FromSeconds(3);

    /// <inheritdoc/>
    public override OcfExitCode Stop(OcfContext context)
    {
        CtdbdConfig config;
        try
        {
            config = CtdbdConfig.Parse(context.Parameters);
        }
        catch (OcfException e) when (e.Code == OcfExitCode.ErrConfigured)
        {
            // Parameters that never parsed can never have started a daemon.
            context.Log.Warning($"stop with invalid parameters: {e.Message}");
            return OcfExitCode.Success;
        }
        var start = DateTime.UtcNow;
        var end = context.Deadline(s_stopFallback);
        var budget = end - start;

        var pid = DaemonProcess.LockHolder(config.PidFile) ?? PidFromSocket(config);
        if (pid is null)
        {
            context.Log.Info("ctdb-pcmkd is not running");
            Score(context, config).Delete();
            return OcfExitCode.Success;
        }
        var daemon = pid.Value;

        // Clean shutdown first (the daemon closes its clients and sockets), then SIGTERM, which
        // the daemon handles the same way, then SIGKILL. A daemon that cannot act on either (a
        // stopped process, or one that did not answer SHUTDOWN at all) gets SIGTERM at once and
        // SIGKILL shortly after: waiting out most of the stop timeout would only keep the
        // cluster waiting for its records and its leader role.
        bool answered = SendShutdown(config, context);
        bool hung = !answered || ProcStat.Read(daemon) is { IsStopped: true };
        if (hung)
        {
            context.Log.Warning($"ctdb-pcmkd (pid {daemon}) does not answer{(ProcStat.Read(daemon) is { IsStopped: true } ? " (stopped)" : "")}");
        }
        if (!DaemonProcess.WaitGone(daemon, hung ? DateTime.UtcNow : start + budget * 0.4))
        {
            context.Log.Warning($"ctdb-pcmkd (pid {daemon}) did not shut down; sending SIGTERM");
            DaemonProcess.Signal(daemon, DaemonProcess.SigTerm);
            var killAt = start + budget * 0.8;
            if (hung && DateTime.UtcNow + s_hungTermWait < killAt)
            {
                killAt = DateTime.UtcNow + s_hungTermWait;
            }
            if (!DaemonProcess.WaitGone(daemon, killAt))
            {
                context.Log.Warning($"ctdb-pcmkd (pid {daemon}) ignored SIGTERM; sending SIGKILL");
                DaemonProcess.Signal(daemon, DaemonProcess.SigKill);
                var killDeadline = end > DateTime.UtcNow + s_killWait ? end : DateTime.UtcNow + s_killWait;
                if (!DaemonProcess.WaitGone(daemon, killDeadline))
                {
                    throw OcfException.Generic($"ctdb-pcmkd (pid {daemon}) survived SIGKILL");
                }
            }
        }
        context.Log.Info($"ctdb-pcmkd (pid {daemon}) stopped");
        Score(context, config).Delete();
        return OcfExitCode.Success;
    }

    /// <summary>The daemon's PID by GET_PID, when it answers but holds no pid file lock (started by hand).</summary>
    private static int? PidFromSocket(CtdbdConfig config)
    {
        if (!File.Exists(config.Socket))
        {
            return null;
        }
        try
        {
            using var client = CtdbClient.Connect(config.Socket);
            client.Timeout = config.RequestTimeout;
            return client.GetPid();
        }
        catch (Exception e) when (e is CtdbConnectionException or CtdbControlException or TimeoutException)
        {
            return null;
        }
    }

    /// <summary>Asks the daemon to shut down; false when it gave no sign of life within 2 s.</summary>
    private static bool SendShutdown(CtdbdConfig config, OcfContext context)
    {
        try
        {
            using var client = CtdbClient.Connect(config.Socket);
            // The daemon may close the connection before it answers: that counts as an answer,
            // and the wait for the process decides.
            client.ControlRaw(ControlOpcode.Shutdown, WireFormat.CurrentNode, default, timeout: TimeSpan.FromSeconds(2));
            return true;
        }
        catch (TimeoutException e)
        {
            context.Log.Debug($"SHUTDOWN: {e.Message}");
            return false;
        }
        catch (CtdbConnectionException e)
        {
            context.Log.Debug($"SHUTDOWN: {e.Message}");
            return true;
        }
    }
}
