// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Server.Transport;

namespace CtdbPcmk.Server.Tests;

/// <summary>
/// Node links between daemons of one process: a packet is copied and handed to the target
/// daemon's loop, in order. A link can be cut (packets are then refused, as to a dead node).
/// </summary>
internal sealed class InProcessLinks : INodeTransport
{
    private readonly InProcessCluster _cluster;
    private readonly uint _pnn;

    public InProcessLinks(InProcessCluster cluster, uint pnn)
    {
        _cluster = cluster;
        _pnn = pnn;
    }

    public void Start()
    {
    }

    public bool Send(uint pnn, ReadOnlySpan<byte> packet)
    {
        if (pnn >= _cluster.Count || _cluster.IsCut(_pnn, pnn))
        {
            return false;
        }
        _cluster.CountPacket(packet);
        var copy = packet.ToArray();
        var target = _cluster.Daemon((int)pnn);
        uint from = _pnn;
        target.PostToLoop(() => target.OnNodePacket(from, copy));
        return true;
    }

    public void Dispose()
    {
    }
}
