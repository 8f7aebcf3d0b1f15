// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Clients;
using CtdbPcmk.Server.Cluster;
using CtdbPcmk.Server.Statistics;

namespace CtdbPcmk.Server.Controls;

/// <summary>
/// Sends a control's reply to whoever asked: the local client, the node it came from, or the
/// daemon's own callback. Handlers that answer later (<see cref="ControlReply.Deferred"/>)
/// keep the <see cref="ControlOrigin"/> they were given and complete it here.
/// </summary>
internal sealed class ControlReplies(ClusterState cluster, NodeLinks links, DaemonStatistics statistics)
{
    private readonly ScratchBuffer _scratch = new();

    /// <summary>Answers <paramref name="origin"/>; replies to a client that has gone are dropped.</summary>
    public void Complete(ControlOrigin origin, ControlReply reply)
    {
        if (origin.Local is not null)
        {
            origin.Local(reply);
        }
        else if (origin.Client is not null)
        {
            if (!origin.Client.IsClosed)
            {
                ToClient(origin.Client, origin.ReqId, reply);
            }
        }
        else
        {
            links.SendControlReply(origin.SrcNode, origin.ReqId, reply);
        }
    }

    public void ToClient(ClientConnection client, uint reqId, ControlReply reply)
    {
        var header = new PacketHeader(0, cluster.Generation, Operation.ReplyControl, 0, cluster.Pnn, reqId);
        client.Connection.Send(ControlData.EncodeReply(_scratch, header, reply));
        statistics.Counters.ClientPacketsSent++;
    }
}
