// SPDX-License-Identifier: GPL-3.0-or-later
using System.ComponentModel;
using System.Net;
using CtdbPcmk.Client;
using CtdbPcmk.Linux;
using CtdbPcmk.Ocf;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Samba;

public sealed partial class SambaAgent
{
    private static readonly TimeSpan s_startFallback = TimeSpan.FromSeconds(120);

    /// <inheritdoc/>
    public override OcfExitCode Start(OcfContext context)
    {
        var config = SambaConfig.Parse(context.Parameters, context.Environment);
        var setup = SambaSetup.Load(config);
        var deadline = context.Deadline(s_startFallback);
        if (config.ServiceManager == SambaServiceManager.Systemd)
        {
            return StartSystemd(context, setup, deadline);
        }
        var probe = new IPEndPoint(ProbeAddress.Find(setup.Settings), setup.Settings.SmbPorts[0]);
        WaitForDaemon(context, config, deadline);

        var previous = LoadState(config);
        var state = new InstanceState
        {
            Config = config.ConfigFile,
            Probe = probe,
            SmbPorts = setup.Settings.SmbPorts,
            WinbindSocket = setup.WinbindSocket,
            PidDirectory = setup.Settings.PidDirectory,
            Services = setup.Services,
        };
        if (previous is not null)
        {
            StopUnmanaged(context, previous, setup.Services);
        }
        var smbdRuns = previous is not null && previous.Processes.TryGetValue(SambaService.Smbd, out var recorded) && recorded.IsAlive;
        if (!smbdRuns && ListenProbe.IsListening(probe, s_daemonTimeout))
        {
            // Most likely Samba's own smbd service: two smbd cannot share the port.
            throw OcfException.Generic($"something else already listens on {probe}; disable Samba's own smbd service (systemctl disable --now smbd)");
        }
        // The daemons' output files live beside the state file.
        Directory.CreateDirectory(config.StateDirectory);
        var outputStart = new Dictionary<SambaService, long>();
        foreach (var service in setup.Services)
        {
            if (previous is not null && previous.Processes.TryGetValue(service, out var old))
            {
                if (old.Current() is { IsStopped: false })
                {
                    context.Log.Info($"{Describe(service, old)} already runs");
                    state.Processes[service] = old;
                    continue;
                }
                // What is left of an earlier instance (children whose parent died) must not
                // hold ports, sockets or databases the new one needs.
                KillAll(ProcessTree.WithDescendants(old), DateTime.UtcNow + TimeSpan.FromSeconds(5));
            }
            outputStart[service] = DaemonOutput.Length(config.OutputFile(service));
            state.Processes[service] = Spawn(context, config, service);
            // Recorded at once: a start that times out must leave stop something to stop.
            state.Save(config.StateFile);
        }
        state.Save(config.StateFile);

        var waiting = "";
        while (true)
        {
            foreach (var (service, process) in state.Processes)
            {
                if (!process.IsAlive)
                {
                    var output = DaemonOutput.Since(config.OutputFile(service), outputStart.GetValueOrDefault(service));
                    throw OcfException.Generic($"{Describe(service, process)} exited during start"
                        + (output.Length > 0 ? ": " + output : $" (see {config.OutputFile(service)} and its log)"));
                }
            }
            waiting = NotReady(config, state.Services, state.WinbindSocket, state.Probe);
            if (waiting.Length == 0)
            {
                context.Log.Info($"{string.Join(", ", state.Processes.Select(p => Describe(p.Key, p.Value)))} ready; smbd answers on {probe}");
                return OcfExitCode.Success;
            }
            if (DateTime.UtcNow >= deadline)
            {
                throw OcfException.Generic($"not ready in time: {waiting}");
            }
            Thread.Sleep(200);
        }
    }

    /// <summary>
    /// Fails at once when ctdb-pcmkd does not answer; waits while it answers but is not RUNNING
    /// yet (a new cluster runs its first recovery once Pacemaker has promoted a leader).
    /// </summary>
    private static void WaitForDaemon(OcfContext context, SambaConfig config, DateTime deadline)
    {
        var logged = false;
        while (true)
        {
            var state = CtdbAttachment.QueryRunState(config.CtdbSocket, s_daemonTimeout, out var error)
                ?? throw OcfException.Generic(error);
            if (state == RunState.Running)
            {
                return;
            }
            if (DateTime.UtcNow >= deadline)
            {
                throw OcfException.Generic($"ctdb-pcmkd on {config.CtdbSocket} did not reach RUNNING in time (run state {state})");
            }
            if (!logged)
            {
                context.Log.Info($"ctdb-pcmkd is in run state {state}; waiting for RUNNING");
                logged = true;
            }
            Thread.Sleep(200);
        }
    }

    /// <summary>
    /// Stops what an earlier start recorded for services no longer in <c>services</c>: nothing
    /// else would ever stop them once the state file forgets them.
    /// </summary>
    private static void StopUnmanaged(OcfContext context, InstanceState previous, IReadOnlyList<SambaService> services)
    {
        foreach (var (service, process) in previous.Processes)
        {
            if (services.Contains(service) || !process.IsAlive)
            {
                continue;
            }
            context.Log.Info($"{Describe(service, process)} is no longer managed; stopping it");
            var family = ProcessTree.WithDescendants(process);
            ProcessTree.Signal(process, ProcessTree.SigTerm);
            if (!ProcessTree.WaitGone(family, DateTime.UtcNow + TimeSpan.FromSeconds(10)))
            {
                KillAll(family, DateTime.UtcNow + TimeSpan.FromSeconds(5));
            }
        }
    }

    /// <summary>Empty when every service serves, else what is still missing.</summary>
    private static string NotReady(SambaConfig config, IReadOnlyList<SambaService> services, string winbindSocket, IPEndPoint probe)
    {
        var probeTimeout = config.NegotiateTimeout < TimeSpan.FromSeconds(2) ? config.NegotiateTimeout : TimeSpan.FromSeconds(2);
        if (services.Contains(SambaService.Winbindd) && WinbindPing.Ping(winbindSocket, probeTimeout) is { Answered: false } ping)
        {
            return ping.Detail;
        }
        var smb = SmbProbe.Negotiate(probe, probeTimeout);
        if (!smb.Answered)
        {
            return "smbd: " + smb.Detail;
        }
        try
        {
            var missing = CtdbAttachment.Missing(config.CtdbSocket, s_daemonTimeout, CtdbAttachment.SmbdDatabases);
            return missing.Count == 0 ? "" : $"smbd has not attached {string.Join(", ", missing)} in ctdb-pcmkd";
        }
        catch (Exception e) when (e is CtdbConnectionException or CtdbControlException or TimeoutException or ProtocolException)
        {
            return $"ctdb-pcmkd on {config.CtdbSocket}: {e.Message}";
        }
    }

    /// <summary>
    /// Starts one daemon in the foreground in a session of its own (see <see cref="DaemonSpawner"/>):
    /// the PID posix_spawn returns is the daemon's own, it outlives the agent, and Pacemaker's
    /// kill of the agent's process group does not reach it. --no-process-group keeps the daemon
    /// from trying to make a process group it already leads.
    /// </summary>
    private static TrackedProcess Spawn(OcfContext context, SambaConfig config, SambaService service)
    {
        var binary = config.Binary(service);
        List<string> arguments = ["--foreground", "--no-process-group", "--configfile=" + config.ConfigFile, .. config.Options[service]];
        int pid;
        try
        {
            pid = DaemonSpawner.Start(binary, arguments, config.OutputFile(service));
        }
        catch (Win32Exception e)
        {
            throw OcfException.Generic(e.Message);
        }
        // The start time is read while the new process cannot have been reaped: its parent is
        // this agent until the agent exits.
        var stat = ProcStat.Read(pid) ?? throw OcfException.Generic($"{SambaServices.Name(service)} (pid {pid}) vanished at once");
        context.Log.Info($"started {binary} {string.Join(' ', arguments)} (pid {pid})");
        return new TrackedProcess(pid, stat.StartTime);
    }
}
