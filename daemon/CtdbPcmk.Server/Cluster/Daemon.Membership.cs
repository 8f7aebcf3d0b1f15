// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server;

public sealed partial class Daemon
{
    /// <summary>The set of connected nodes changed (a link came up or went down).</summary>
    private void OnMembershipChanged()
    {
        _log.Debug("Membership changed; connected nodes: {Nodes}", string.Join(",", BroadcastTargets(Protocol.WireFormat.BroadcastConnected)));
    }
}
