// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Transport;

namespace CtdbPcmk.Server;

/// <summary>
/// Entry points for a cluster of daemons inside one process: the node links and the vnn map
/// come from the host instead of the nodes file and a recovery. Everything but
/// <see cref="PostToLoop"/> runs on the loop thread.
/// </summary>
public sealed partial class Daemon
{
    /// <summary>Runs <paramref name="action"/> on the loop thread (callable from any thread).</summary>
    internal void PostToLoop(Action action) => _loop.Post(action);

    /// <summary>Replaces the node links (the daemon disposes them at shutdown) and starts them.</summary>
    internal void InjectNodeLinks(INodeTransport links)
    {
        _nodeLinks?.Dispose();
        _nodeLinks = links;
        links.Start();
    }

    /// <summary>Sets the vnn map and its generation as a recovery would.</summary>
    internal void InjectVnnMap(VnnMap map) => _cluster.VnnMap = map;

    internal void InjectRecoveryMode(RecoveryMode mode) => _cluster.RecoveryMode = mode;
}
