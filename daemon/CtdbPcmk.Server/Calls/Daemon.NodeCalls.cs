// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Server;

public sealed partial class Daemon
{
    /// <summary>
    /// REQ_CALL, REPLY_CALL, REQ_DMASTER, REPLY_DMASTER and REPLY_ERROR from another node.
    /// Call-family packets from another generation are dropped, as in ctdbd.
    /// </summary>
    private void OnNodeCallPacket(uint from, PacketHeader header, ReadOnlySpan<byte> packet)
    {
        if (header.Operation != Operation.ReplyError && header.Generation != _cluster.Generation)
        {
            _log.Debug("{Op} from node {Pnn} for generation {Gen} (ours {Ours}) dropped", header.Operation, from, header.Generation, _cluster.Generation);
            return;
        }
        _log.Debug("{Op} from node {Pnn}: record migration between nodes is not available, dropped", header.Operation, from);
    }
}
