// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Linux;
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Clients;
using CtdbPcmk.Server.Transport;

namespace CtdbPcmk.Server;

public sealed partial class Daemon : IPacketSink
{
    private void OnAccept(SafeFdHandle fd, Interop.Libc.UCred cred)
    {
        // Only root may use the socket (and the daemon's own user, when it is not root): the
        // socket carries every database of the cluster.
        uint self = GetEuid();
        if (cred.uid != 0 && cred.uid != self)
        {
            _log.Warning("Refused client pid {Pid} uid {Uid}: only root may connect", cred.pid, cred.uid);
            fd.Dispose();
            return;
        }
        uint id = _nextClientId++;
        if (_nextClientId == 0)
        {
            _nextClientId = 1;
        }
        var connection = new PacketConnection(_loop, fd, this);
        var client = new ClientConnection(id, connection, cred.pid, cred.uid);
        connection.Owner = client;
        _clients[id] = client;
        _statistics.NumClients = (uint)_clients.Count;
        _log.Debug("Client {Id} connected, pid {Pid}", id, cred.pid);
    }

    private static uint GetEuid() => (uint)Interop.Libc.geteuid();

    void IPacketSink.OnPacket(PacketConnection connection, ReadOnlySpan<byte> packet)
    {
        if (connection.Owner is ClientConnection client)
        {
            OnClientPacket(client, packet);
        }
    }

    void IPacketSink.OnClosed(PacketConnection connection, string? reason)
    {
        if (connection.Owner is not ClientConnection client)
        {
            return;
        }
        if (reason is not null)
        {
            _log.Warning("Client {Id} (pid {Pid}) disconnected: {Reason}", client.Id, client.Pid, reason);
        }
        else
        {
            _log.Debug("Client {Id} (pid {Pid}) disconnected", client.Id, client.Pid);
        }
        _srvids.RemoveAll(client);
        foreach (var t in client.Traverses)
        {
            t.Cancel();
        }
        client.Traverses.Clear();
        _publicAddresses.OnClientGone(client.Id);
        _clients.Remove(client.Id);
        _statistics.NumClients = (uint)_clients.Count;
    }

    private void OnClientPacket(ClientConnection client, ReadOnlySpan<byte> packet)
    {
        var header = PacketHeader.Read(packet);
        _statistics.ClientPacketsRecv++;
        switch (header.Operation)
        {
            case Operation.ReqControl:
                _statistics.ClientReqControl++;
                OnClientControl(client, header, ReqControl.Read(packet));
                break;
            case Operation.ReqCall:
                _statistics.ClientReqCall++;
                OnClientCall(client, header, ReqCall.Read(packet));
                break;
            case Operation.ReqMessage:
                _statistics.ClientReqMessage++;
                var msg = ReqMessage.Read(packet);
                SendMessage(header.DestNode, msg.Srvid, msg.Data);
                break;
            case Operation.ReqTunnel:
                // No tunnel is ever registered here, so like ctdbd the packet is dropped.
                _statistics.ClientReqTunnel++;
                _log.Debug("Client {Id} sent a tunnel packet; no tunnel is registered, dropped", client.Id);
                break;
            default:
                throw new ProtocolException($"operation {(uint)header.Operation} is not valid from a client");
        }
    }
}
