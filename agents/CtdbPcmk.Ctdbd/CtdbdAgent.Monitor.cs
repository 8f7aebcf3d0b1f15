// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Linux;
using CtdbPcmk.Ocf;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Ctdbd;

public sealed partial class CtdbdAgent
{
    /// <inheritdoc/>
    public override OcfExitCode Monitor(OcfContext context)
    {
        // Parameters are only parsed, not checked on the host: a probe on a node without the
        // daemon, its nodes file or even its socket directory must say "not running".
        var config = CtdbdConfig.Parse(context.Parameters);
        var status = DaemonStatus.Query(config.Socket, config.RequestTimeout);
        switch (status.State)
        {
            case DaemonState.Absent:
                if (DaemonProcess.LockHolder(config.PidFile) is int pid)
                {
                    throw OcfException.Generic($"ctdb-pcmkd (pid {pid}) runs but its socket {config.Socket} does not accept connections");
                }
                return OcfExitCode.NotRunning;
            case DaemonState.NotAnswering:
                throw OcfException.Generic($"ctdb-pcmkd does not answer on {config.Socket}: {status.Error}");
        }
        if (status.RunState == RunState.Shutdown)
        {
            throw OcfException.Generic("ctdb-pcmkd is shutting down");
        }
        if ((status.Leader.NodeFlags & DaemonStatus.BadFlags) != 0)
        {
            // Still running: Pacemaker must not restart the daemon for this. Node health (the
            // health agent) moves addresses away, and the promotion score drops.
            context.Log.Warning($"ctdb-pcmkd runs but the node is not healthy: {status.Describe()}");
        }
        Score(context, config).Update(status, force: context.IsProbe);
        return status.IsLeader ? OcfExitCode.RunningPromoted : OcfExitCode.Success;
    }
}
