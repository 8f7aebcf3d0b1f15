// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Linux;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Samba;

public sealed partial class SambaAgent
{
    /// <summary>How long a listener may outlive the server it belonged to after its exit.</summary>
    private static readonly TimeSpan s_exitSettle = TimeSpan.FromSeconds(2);

    /// <inheritdoc/>
    public override OcfExitCode Monitor(OcfContext context)
    {
        // No subprocess and no smb.conf: the state file says what was started and where it
        // answers, /proc says whether it still runs, and the daemons are asked directly.
        var config = SambaConfig.Parse(context.Parameters, context.Environment);
        if (config.ServiceManager == SambaServiceManager.Systemd)
        {
            return MonitorSystemd(context, config);
        }
        var state = LoadState(config);
        if (state is null)
        {
            return OcfExitCode.NotRunning;
        }
        var running = new List<string>();
        var missing = new List<string>();
        foreach (var service in state.Services)
        {
            var name = SambaServices.Name(service);
            if (!state.Processes.TryGetValue(service, out var process) || process.Current() is not { } stat)
            {
                missing.Add(name);
                continue;
            }
            if (stat.IsStopped)
            {
                throw OcfException.Generic($"{Describe(service, process)} is stopped (state {stat.State})");
            }
            running.Add($"{Describe(service, process)}");
        }
        if (running.Count == 0)
        {
            // Everything exited: stopped, unless something still serves SMB on the address.
            if (ListenProbe.StillListening(state.Probe, config.NegotiateTimeout, s_exitSettle))
            {
                throw OcfException.Generic($"{string.Join(", ", missing)} not running, but something still listens on {state.Probe}");
            }
            return OcfExitCode.NotRunning;
        }
        if (missing.Count > 0)
        {
            throw OcfException.Generic($"partly running: {string.Join(", ", missing)} not running ({string.Join(", ", running)} running)");
        }
        var smb = SmbProbe.Negotiate(state.Probe, config.NegotiateTimeout);
        if (!smb.Answered)
        {
            return NotServing(context, config, $"smbd runs but does not serve: {smb.Detail}");
        }
        new ClusterWait(config.StateFile, config.ClusterWait).Clear();
        if (state.Services.Contains(SambaService.Winbindd))
        {
            var ping = WinbindPing.Ping(state.WinbindSocket, config.NegotiateTimeout);
            if (!ping.Answered)
            {
                throw OcfException.Generic($"winbindd runs but does not answer: {ping.Detail}");
            }
        }
        context.Log.Debug($"{string.Join(", ", running)}; {smb.Detail}");
        return OcfExitCode.Success;
    }

    /// <summary>
    /// smbd did not answer: a failure, unless the cluster database does not serve either and
    /// the monitor has waited on it for less than cluster_wait (<see cref="ClusterWait"/>).
    /// </summary>
    private static OcfExitCode NotServing(OcfContext context, SambaConfig config, string failure)
    {
        var wait = new ClusterWait(config.StateFile, config.ClusterWait);
        if (config.ClusterWait > TimeSpan.Zero
            && ClusterWait.WhyNotServing(config.CtdbSocket, TimeSpan.FromSeconds(2)) is { } why)
        {
            var waited = wait.Waited(DateTime.UtcNow);
            if (wait.Within(waited))
            {
                context.Log.Warning($"{failure}; the cluster database does not serve either ({why}): waiting for it, " +
                    $"{waited.TotalSeconds:F0} s of cluster_wait={config.ClusterWait.TotalSeconds:F0} s");
                return OcfExitCode.Success;
            }
            wait.Clear();
            throw OcfException.Generic($"{failure}; the cluster database has not served for {waited.TotalSeconds:F0} s ({why})");
        }
        wait.Clear();
        throw OcfException.Generic(failure);
    }

}
