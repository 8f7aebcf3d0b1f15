// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Server;

public sealed partial class Daemon
{
    /// <summary>How long a probed node has to show any sign of life.</summary>
    private static readonly TimeSpan s_probeWait = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Pacemaker saw the membership change (the agent's notify, or this node taking the leader
    /// role). A node that died without closing its links (power loss, a cut cable, a hung host)
    /// would stay connected here until KeepaliveInterval × KeepaliveLimit, and a recovery would
    /// wait on it. So every connected node gets a GET_PNN; one from which nothing at all (the
    /// reply or any other packet) arrives within <see cref="s_probeWait"/> is dropped as lost.
    /// A node that is merely busy still sends its keepalives and replies, and stays.
    /// </summary>
    private void ProbePeers(string why)
    {
        if (_nodeLinks is not { } links)
        {
            return;
        }
        for (uint pnn = 0; pnn < (uint)_cluster.NodeCount; pnn++)
        {
            if (pnn == _cluster.Pnn || !_cluster.IsConnected(pnn))
            {
                continue;
            }
            uint node = pnn;
            long heard = links.PacketsFrom(node);
            SendNodeControl(node, ControlOpcode.GetPnn, 0, default, reply =>
            {
                if (reply.Error != ControlTimedOut || links.PacketsFrom(node) != heard || !_cluster.IsConnected(node))
                {
                    return;
                }
                _log.Warning("Node {Pnn} sent nothing for {Seconds} s after a liveness probe ({Why})", node, s_probeWait.TotalSeconds, why);
                links.Drop(node, $"no answer to a liveness probe after {why}");
            }, s_probeWait);
        }
    }
}
