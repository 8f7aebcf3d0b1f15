// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Linux;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Nfs;

public sealed partial class NfsAgent
{
    /// <summary>How long a listener may outlive the server it belonged to after its exit.</summary>
    private static readonly TimeSpan s_exitSettle = TimeSpan.FromSeconds(2);

    /// <inheritdoc/>
    public override OcfExitCode Monitor(OcfContext context)
    {
        // No subprocess and no ganesha.conf: the state file says what was started and where it
        // answers, /proc says whether it still runs, and the server is asked directly.
        var config = NfsConfig.Parse(context.Parameters, context.Environment);
        var state = LoadState(config);
        if (state is null)
        {
            return OcfExitCode.NotRunning;
        }
        var name = $"ganesha.nfsd (pid {state.Process.Pid})";
        if (state.Process.Current() is not { } stat)
        {
            if (ListenProbe.StillListening(state.Probe, config.ProbeTimeout, s_exitSettle))
            {
                throw OcfException.Generic($"{name} is gone, but something still listens on {state.Probe}");
            }
            context.ExitReason($"{name} exited");
            return OcfExitCode.NotRunning;
        }
        if (stat.IsStopped)
        {
            throw OcfException.Generic($"{name} is stopped (state {stat.State})");
        }
        var rpc = RpcProbe.Call(state.Probe, config.ProbeTimeout);
        if (!rpc.Answered)
        {
            throw OcfException.Generic($"{name} runs but does not serve NFS: {rpc.Detail}");
        }
        try
        {
            using var admin = ConnectAdmin(state.BusAddress, config.ProbeTimeout);
            admin.Ping();
            var grace = admin.InGrace();
            if (state.Problem.Length > 0)
            {
                throw OcfException.Generic(state.Problem);
            }
            context.Log.Debug($"{name}: {rpc.Detail}; D-Bus admin answers{(grace ? "; in grace" : "")}");
        }
        catch (GaneshaAdminException e)
        {
            throw OcfException.Generic($"{name} serves NFS but its D-Bus admin interface does not answer: {e.Message}");
        }
        return OcfExitCode.Success;
    }
}
