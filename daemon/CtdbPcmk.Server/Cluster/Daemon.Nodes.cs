// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Clients;
using CtdbPcmk.Server.Controls;

namespace CtdbPcmk.Server;

public sealed partial class Daemon
{
    /// <summary>
    /// A control addressed to another node. Without a node link to it (every other node is
    /// DISCONNECTED in this daemon's node map) the answer is ctdbd's.
    /// </summary>
    private void ForwardControl(ClientConnection client, PacketHeader header, ReqControl control)
    {
        if (!control.NoReply)
        {
            SendControlReply(client, header.ReqId, ControlReply.Failed("ctdb_control to disconnected node"));
        }
    }

    /// <summary>Messages for a node that is not connected are dropped, as in ctdbd.</summary>
    private void SendMessageToNode(uint pnn, ulong srvid)
    {
        _log.Verbose("Message for srvid 0x{Srvid:x16} to disconnected node {Pnn} dropped", srvid, pnn);
    }

    /// <summary>Controls no other handler knows: an error reply, never a dropped connection.</summary>
    private ControlReply NodeControl(ClientConnection? client, ReqControl c)
    {
        _log.Debug("Unsupported control {Opcode} ({Number}) from client {Id}", c.Opcode, (uint)c.Opcode, client?.Id);
        return ControlReply.Failed($"control {(uint)c.Opcode} is not implemented");
    }
}
