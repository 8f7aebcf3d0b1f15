// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Server;

/// <summary>
/// Entry points for a host that runs daemons inside its own process: it may set the vnn map
/// and recovery mode directly, as a recovery would. Everything but <see cref="PostToLoop"/>
/// runs on the loop thread.
/// </summary>
public sealed partial class Daemon
{
    /// <summary>Runs <paramref name="action"/> on the loop thread (callable from any thread).</summary>
    internal void PostToLoop(Action action) => _loop.Post(action);

    /// <summary>Sets the vnn map and its generation as a recovery would.</summary>
    internal void InjectVnnMap(VnnMap map) => _cluster.VnnMap = map;

    internal void InjectRecoveryMode(RecoveryMode mode) => _cluster.RecoveryMode = mode;
}
