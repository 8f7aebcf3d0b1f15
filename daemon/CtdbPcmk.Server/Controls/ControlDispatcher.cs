// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Clients;
using CtdbPcmk.Server.Cluster;

namespace CtdbPcmk.Server.Controls;

/// <summary>
/// Where a control goes: a client's control runs here, goes to another node (its reply passed
/// back under the client's reqid) or, for a broadcast, both; every control that runs here goes
/// to the subsystem that owns what it touches (<see cref="ControlTable"/>).
/// </summary>
internal sealed class ControlDispatcher(ClusterState cluster, NodeLinks links, ControlReplies replies,
    ControlTable table, Serilog.ILogger log)
{
    /// <summary>A REQ_CONTROL from a local client.</summary>
    public void OnClientControl(ClientConnection client, PacketHeader header, ReqControl control)
    {
        uint dest = header.DestNode;
        if (dest == WireFormat.CurrentNode || dest == cluster.Pnn)
        {
            var reply = Run(new ControlOrigin(client, cluster.Pnn, header.ReqId), control);
            if (!control.NoReply && !reply.IsDeferred)
            {
                replies.ToClient(client, header.ReqId, reply);
            }
            return;
        }
        if (WireFormat.IsBroadcast(dest))
        {
            if (!control.NoReply)
            {
                replies.ToClient(client, header.ReqId, ControlReply.Failed("broadcast control without NOREPLY"));
                return;
            }
            Broadcast(client, header, control);
            return;
        }
        Forward(client, header, control);
    }

    /// <summary>Runs one control on this node. Malformed control data gets status -1, as ctdbd.</summary>
    public ControlReply Run(ControlOrigin origin, ReqControl c)
    {
        try
        {
            return table.Run(origin, c);
        }
        catch (ProtocolException e)
        {
            log.Warning("Control {Opcode} with bad data: {Error}", c.Opcode, e.Message);
            return ControlReply.Fail;
        }
    }

    /// <summary>A client's control for another node: sent on, the reply passed back under the client's reqid.</summary>
    private void Forward(ClientConnection client, PacketHeader header, ReqControl control)
    {
        if (!cluster.IsValidNode(header.DestNode))
        {
            if (!control.NoReply)
            {
                replies.ToClient(client, header.ReqId, ControlReply.Failed(NodeLinks.DisconnectedNode));
            }
            return;
        }
        uint clientReqId = header.ReqId;
        bool noReply = control.NoReply;
        links.SendControl(header.DestNode, control.Opcode, control.Srvid, control.Data, reply =>
        {
            if (!noReply && !client.IsClosed)
            {
                replies.ToClient(client, clientReqId, reply);
            }
        }, flags: control.Flags, clientId: control.ClientId);
    }

    /// <summary>A broadcast control (always NOREPLY): run here if this node qualifies, sent to every other target.</summary>
    private void Broadcast(ClientConnection client, PacketHeader header, ReqControl control)
    {
        foreach (uint pnn in cluster.BroadcastTargets(header.DestNode).ToArray())
        {
            if (pnn == cluster.Pnn)
            {
                Run(new ControlOrigin(client, cluster.Pnn, header.ReqId), control);
            }
            else
            {
                links.SendControl(pnn, control.Opcode, control.Srvid, control.Data, static _ => { }, flags: control.Flags, clientId: control.ClientId);
            }
        }
    }
}
