// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Linux;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Nfs;

public sealed partial class NfsAgent
{
    private static readonly TimeSpan s_stopFallback = TimeSpan.FromSeconds(60);

    /// <inheritdoc/>
    public override OcfExitCode Stop(OcfContext context)
    {
        NfsConfig config;
        try
        {
            config = NfsConfig.Parse(context.Parameters, context.Environment);
        }
        catch (OcfException e) when (e.Code == OcfExitCode.ErrConfigured)
        {
            // Parameters that never parsed can never have started anything.
            context.Log.Warning($"stop with invalid parameters: {e.Message}");
            return OcfExitCode.Success;
        }
        // No address can be taken over into this node's ganesha from now on.
        NfsTakeover.Remove(config.StateDirectory);
        var state = LoadState(config);
        if (state is null)
        {
            context.Log.Info("not running (no state file)");
            return OcfExitCode.Success;
        }
        var end = context.Deadline(s_stopFallback);
        var budget = end - DateTime.UtcNow;
        // SIGKILL comes with a fifth of the time (at most 5 s) left for it to take effect.
        var killAt = end - TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(5).Ticks, budget.Ticks / 5));
        var family = ProcessTree.WithDescendants(state.Process);
        if (ProcessTree.Signal(state.Process, ProcessTree.SigTerm))
        {
            // A stopped (hung) server keeps SIGTERM pending until it runs again.
            ProcessTree.Signal(state.Process, ProcessTree.SigCont);
            context.Log.Info($"sent SIGTERM to ganesha.nfsd (pid {state.Process.Pid})");
        }
        if (!ProcessTree.WaitGone(family, killAt))
        {
            var left = family.Concat(ProcessTree.WithDescendants(state.Process)).Where(p => p.IsAlive).Distinct().ToList();
            context.Log.Warning($"ganesha.nfsd (pid {state.Process.Pid}) did not stop on SIGTERM; sending SIGKILL");
            foreach (var p in left)
            {
                ProcessTree.Signal(p, ProcessTree.SigKill);
            }
            if (!ProcessTree.WaitGone(left, DateTime.UtcNow + TimeSpan.FromSeconds(5)))
            {
                throw OcfException.Generic($"processes {string.Join(", ", left.Where(p => p.IsAlive).Select(p => p.Pid))} survived SIGKILL");
            }
        }
        while (ListenProbe.IsListening(state.Probe, TimeSpan.FromMilliseconds(500)))
        {
            if (DateTime.UtcNow >= end)
            {
                throw OcfException.Generic($"ganesha.nfsd stopped, but something still listens on {state.Probe}");
            }
            Thread.Sleep(100);
        }
        File.Delete(config.StateFile);
        File.Delete(config.PidFile);
        context.Log.Info("stopped");
        return OcfExitCode.Success;
    }
}
