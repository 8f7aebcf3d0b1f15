// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Net;
using CtdbPcmk.Linux;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Samba;

public sealed partial class SambaAgent
{
    private static readonly TimeSpan s_stopFallback = TimeSpan.FromSeconds(100);
    private static readonly TimeSpan s_listenCheck = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long SIGTERM is given. smbd ends within a second or two on it; one that has not is
    /// stuck (a call to the cluster database that does not return keeps it from running its event
    /// loop, where it would hear the signal), and a stop that waited out its whole timeout would
    /// hold up every other action of Pacemaker's transition, on every node.
    /// </summary>
    private static readonly TimeSpan s_termGrace = TimeSpan.FromSeconds(10);

    /// <inheritdoc/>
    public override OcfExitCode Stop(OcfContext context)
    {
        SambaConfig config;
        try
        {
            config = SambaConfig.Parse(context.Parameters, context.Environment);
        }
        catch (OcfException e) when (e.Code == OcfExitCode.ErrConfigured)
        {
            // Parameters that never parsed can never have started anything.
            context.Log.Warning($"stop with invalid parameters: {e.Message}");
            return OcfExitCode.Success;
        }
        if (config.ServiceManager == SambaServiceManager.Systemd)
        {
            return StopSystemd(context, config, context.Deadline(s_stopFallback));
        }
        var state = LoadState(config);
        if (state is null)
        {
            context.Log.Info("not running (no state file)");
            return OcfExitCode.Success;
        }
        var start = DateTime.UtcNow;
        var end = context.Deadline(s_stopFallback);
        var budget = end - start;
        // SIGKILL comes after s_termGrace, or sooner with a fifth of the time (at most 5 s) left
        // for it to take effect.
        var killAt = end - TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(5).Ticks, budget.Ticks / 5));
        if (start + s_termGrace < killAt)
        {
            killAt = start + s_termGrace;
        }

        // Known before the signals: a child whose parent exits is reparented and only its
        // session still links it to the daemon.
        var all = new List<TrackedProcess>();
        foreach (var service in state.Services.Reverse())
        {
            if (state.Processes.TryGetValue(service, out var process))
            {
                all.AddRange(ProcessTree.WithDescendants(process));
                if (ProcessTree.Signal(process, ProcessTree.SigTerm))
                {
                    // A stopped (SIGSTOP, hung in a debugger) daemon keeps SIGTERM pending until it
                    // runs again: let it run, so it ends now instead of at SIGKILL time.
                    ProcessTree.Signal(process, ProcessTree.SigCont);
                    context.Log.Info($"sent SIGTERM to {Describe(service, process)}");
                }
            }
        }
        var helper = RpcHelper(state);
        if (helper is { } rpc)
        {
            all.AddRange(ProcessTree.WithDescendants(rpc));
            ProcessTree.Signal(rpc, ProcessTree.SigTerm);
            ProcessTree.Signal(rpc, ProcessTree.SigCont);
        }
        if (!ProcessTree.WaitGone(all, killAt))
        {
            // Again, for children started since the first look.
            foreach (var process in state.Processes.Values.Concat(helper is { } h ? [h] : []))
            {
                all.AddRange(ProcessTree.WithDescendants(process));
            }
            var left = all.Where(p => p.IsAlive).Distinct().ToList();
            context.Log.Warning($"processes {string.Join(", ", left.Select(p => p.Pid))} did not stop on SIGTERM; sending SIGKILL");
            if (!KillAll(left, end > DateTime.UtcNow + TimeSpan.FromSeconds(2) ? end : DateTime.UtcNow + TimeSpan.FromSeconds(2)))
            {
                throw OcfException.Generic($"processes {string.Join(", ", left.Where(p => p.IsAlive).Select(p => p.Pid))} survived SIGKILL");
            }
        }
        while (ListeningPort(state) is int port)
        {
            if (DateTime.UtcNow >= end)
            {
                throw OcfException.Generic($"smbd stopped, but something still listens on {new IPEndPoint(state.Probe.Address, port)}");
            }
            Thread.Sleep(100);
        }
        File.Delete(config.StateFile);
        context.Log.Info("stopped");
        return OcfExitCode.Success;
    }

    /// <summary>SIGKILL (which also ends stopped processes) and wait; true when all are gone.</summary>
    private static bool KillAll(IReadOnlyList<TrackedProcess> processes, DateTime deadline)
    {
        foreach (var p in processes)
        {
            ProcessTree.Signal(p, ProcessTree.SigKill);
        }
        return ProcessTree.WaitGone(processes, deadline);
    }

    private static int? ListeningPort(InstanceState state)
    {
        foreach (var port in state.SmbPorts)
        {
            if (ListenProbe.IsListening(new IPEndPoint(state.Probe.Address, port), s_listenCheck))
            {
                return port;
            }
        }
        return null;
    }

    /// <summary>
    /// samba-dcerpcd, which smbd and winbindd start on demand ("rpc start on demand helpers")
    /// and which leaves their session as a daemon: found by its pid file in the pid directory,
    /// and only taken when its command line names this configuration file as a helper's does.
    /// </summary>
    private static TrackedProcess? RpcHelper(InstanceState state)
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(state.PidDirectory, "samba-dcerpcd.pid")).Trim();
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || ProcStat.Read(pid) is not { } stat)
            {
                return null;
            }
            var arguments = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline").Split('\0');
            return arguments.Contains("--np-helper") && arguments.Contains("--configfile=" + state.Config)
                ? new TrackedProcess(pid, stat.StartTime)
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
