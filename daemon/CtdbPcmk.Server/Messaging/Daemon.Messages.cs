// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Server;

public sealed partial class Daemon
{
    /// <summary>Header of a message delivered to a local client: srcnode is this node, reqid 0.</summary>
    private PacketHeader MessageHeader() =>
        new(0, _cluster.Generation, Operation.ReqMessage, 0, _cluster.Pnn, 0);

    /// <summary>
    /// Routes a message: to this node's registrants, to other nodes, or to both for a
    /// broadcast (broadcasts include the sender's node).
    /// </summary>
    internal void SendMessage(uint destNode, ulong srvid, ReadOnlySpan<byte> data)
    {
        if (destNode == WireFormat.CurrentNode || destNode == _cluster.Pnn)
        {
            DeliverLocal(srvid, data);
            return;
        }
        if (WireFormat.IsBroadcast(destNode))
        {
            foreach (uint pnn in BroadcastTargets(destNode).ToArray())
            {
                if (pnn == _cluster.Pnn)
                {
                    DeliverLocal(srvid, data);
                }
                else
                {
                    SendMessageToNode(pnn, srvid, data);
                }
            }
            return;
        }
        SendMessageToNode(destNode, srvid, data);
    }

    /// <summary>Delivers to every local registration of srvid and of the catch-all srvid.</summary>
    internal void DeliverLocal(ulong srvid, ReadOnlySpan<byte> data)
    {
        if (_internalSrvids.TryGetValue(srvid, out var handler))
        {
            handler(data);
            return;
        }
        var targets = _srvids.Lookup(srvid);
        var all = srvid == Srvid.All ? Array.Empty<Clients.ClientConnection>() : _srvids.Lookup(Srvid.All);
        if (targets.Count == 0 && all.Count == 0)
        {
            return;
        }
        var msg = new ReqMessage { Srvid = srvid, Data = data };
        var buffer = Scratch(Packet.WireSize(msg.ContentLength));
        int size = msg.Write(buffer, MessageHeader());
        var packet = buffer[..size];
        if (targets.Count == 1 && all.Count == 0)
        {
            targets[0].Connection.Send(packet);
            _statistics.ClientPacketsSent++;
            return;
        }
        // A failed send closes its client and edits these lists: iterate over a snapshot.
        foreach (var client in targets.Concat(all).ToArray())
        {
            client.Connection.Send(packet);
            _statistics.ClientPacketsSent++;
        }
    }
}
