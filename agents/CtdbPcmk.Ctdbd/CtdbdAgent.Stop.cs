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
        // the daemon handles the same way, then SIGKILL.
        SendShutdown(config, context);
        if (!DaemonProcess.WaitGone(daemon, start + budget * 0.4))
        {
            context.Log.Warning($"ctdb-pcmkd (pid {daemon}) did not shut down; sending SIGTERM");
            DaemonProcess.Signal(daemon, DaemonProcess.SigTerm);
            if (!DaemonProcess.WaitGone(daemon, start + budget * 0.8))
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

    private static void SendShutdown(CtdbdConfig config, OcfContext context)
    {
        try
        {
            using var client = CtdbClient.Connect(config.Socket);
            // The daemon may close the connection before it answers: any outcome is fine here,
            // the wait for the process decides.
            client.ControlRaw(ControlOpcode.Shutdown, WireFormat.CurrentNode, default, timeout: TimeSpan.FromSeconds(2));
        }
        catch (Exception e) when (e is CtdbConnectionException or TimeoutException)
        {
            context.Log.Debug($"SHUTDOWN: {e.Message}");
        }
    }
}
