// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using CtdbPcmk.Linux;
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Clients;
using CtdbPcmk.Server.Cluster;
using CtdbPcmk.Server.Controls;
using CtdbPcmk.Server.Statistics;
using CtdbPcmk.Transport;

namespace CtdbPcmk.Server.Messaging;

/// <summary>
/// Cluster-wide messages: which local client registered which srvid, which srvids the daemon
/// itself handles (recovery's pull and push streams, TAKEOVER_RUN), and routing a message to
/// this node's registrants, to other nodes, or both for a broadcast. Loop thread only.
/// </summary>
internal sealed class MessageRouter(ClusterState cluster, NodeLinks links, EventLoop loop,
    DaemonStatistics statistics, Serilog.ILogger log, int maxRegistrations = int.MaxValue)
{
    private readonly SrvidRegistry _srvids = new();
    private readonly Dictionary<ulong, MessageHandler> _internal = new();
    private readonly ScratchBuffer _scratch = new();

    /// <summary>Messages for <paramref name="srvid"/> go to the daemon's own handler instead of clients.</summary>
    public void RegisterInternal(ulong srvid, MessageHandler handler) => _internal[srvid] = handler;

    public void DeregisterInternal(ulong srvid) => _internal.Remove(srvid);

    /// <summary>
    /// Routes a message: to this node's registrants, to other nodes, or to both for a
    /// broadcast (broadcasts include the sender's node).
    /// </summary>
    public void Send(uint destNode, ulong srvid, ReadOnlySpan<byte> data)
    {
        if (destNode == WireFormat.CurrentNode || destNode == cluster.Pnn)
        {
            DeliverLocal(srvid, data);
            return;
        }
        if (WireFormat.IsBroadcast(destNode))
        {
            foreach (uint pnn in cluster.BroadcastTargets(destNode).ToArray())
            {
                if (pnn == cluster.Pnn)
                {
                    DeliverLocal(srvid, data);
                }
                else
                {
                    SendToNode(pnn, srvid, data);
                }
            }
            return;
        }
        SendToNode(destNode, srvid, data);
    }

    /// <summary>A message for another node; dropped when that node is not connected, as in ctdbd.</summary>
    private void SendToNode(uint pnn, ulong srvid, ReadOnlySpan<byte> data)
    {
        if (!links.CanSend(pnn))
        {
            log.Verbose("Message for srvid 0x{Srvid:x16} to disconnected node {Pnn} dropped", srvid, pnn);
            return;
        }
        var msg = new ReqMessage { Srvid = srvid, Data = data };
        var buffer = _scratch.Get(Packet.WireSize(msg.ContentLength));
        int size = msg.Write(buffer, new PacketHeader(0, cluster.Generation, Operation.ReqMessage, pnn, cluster.Pnn, 0));
        if (!links.Send(pnn, buffer[..size]))
        {
            log.Verbose("Message for srvid 0x{Srvid:x16} to disconnected node {Pnn} dropped", srvid, pnn);
        }
    }

    /// <summary>Delivers to the daemon's handler of srvid, or to every local registration of srvid and of the catch-all srvid.</summary>
    public void DeliverLocal(ulong srvid, ReadOnlySpan<byte> data)
    {
        if (_internal.TryGetValue(srvid, out var handler))
        {
            handler(data);
            return;
        }
        var targets = _srvids.Lookup(srvid);
        var all = srvid == Srvid.All ? Array.Empty<ClientConnection>() : _srvids.Lookup(Srvid.All);
        if (targets.Count == 0 && all.Count == 0)
        {
            return;
        }
        var msg = new ReqMessage { Srvid = srvid, Data = data };
        var buffer = _scratch.Get(Packet.WireSize(msg.ContentLength));
        int size = msg.Write(buffer, LocalHeader());
        var packet = buffer[..size];
        if (targets.Count == 1 && all.Count == 0)
        {
            targets[0].Connection.Send(packet);
            statistics.Counters.ClientPacketsSent++;
            return;
        }
        // A failed send closes its client and edits these lists: iterate over a snapshot.
        foreach (var client in targets.Concat(all).ToArray())
        {
            client.Connection.Send(packet);
            statistics.Counters.ClientPacketsSent++;
        }
    }

    /// <summary>Header of a message delivered to a local client: srcnode is this node, reqid 0.</summary>
    private PacketHeader LocalHeader() =>
        new(0, cluster.Generation, Operation.ReqMessage, 0, cluster.Pnn, 0);

    public ControlReply RegisterSrvid(ClientConnection? client, ulong srvid)
    {
        if (client is null)
        {
            return ControlReply.Fail;
        }
        if (_srvids.CountOf(client) >= maxRegistrations)
        {
            log.Warning("Client {Id} (pid {Pid}) refused SRVID 0x{Srvid:x16}: it holds {Count} registrations, the limit ([limits] client registrations)",
                client.Id, client.Pid, srvid, maxRegistrations);
            return ControlReply.Failed($"too many registrations (limit {maxRegistrations})");
        }
        _srvids.Register(client, srvid);
        if (srvid == Srvid.Leader)
        {
            // Answer first, then tell the new listener who leads, so that `ctdb status`
            // does not wait for the next periodic announcement.
            loop.Post(() =>
            {
                if (!client.IsClosed)
                {
                    AnnounceLeaderTo(client);
                }
            });
        }
        return ControlReply.Ok;
    }

    public ControlReply DeregisterSrvid(ClientConnection? client, ulong srvid) =>
        client is not null && _srvids.Deregister(client, srvid) ? ControlReply.Ok : ControlReply.Fail;

    /// <summary>CHECK_PID_SRVID: 0 if a client with this pid registered this srvid (smbd's server-id check).</summary>
    public ControlReply CheckPidSrvid(ReadOnlySpan<byte> data)
    {
        var ps = PidSrvid.Read(data);
        foreach (var client in _srvids.Lookup(ps.Srvid))
        {
            if (client.Pid == ps.Pid)
            {
                return new ControlReply(ProcessSignal.Exists(ps.Pid) ? 0 : -1);
            }
        }
        return new ControlReply(-1);
    }

    /// <summary>A client has gone: its registrations with it.</summary>
    public void Forget(ClientConnection client) => _srvids.RemoveAll(client);

    /// <summary>Tells one client who leads, right after it registers for LEADER messages.</summary>
    private void AnnounceLeaderTo(ClientConnection client)
    {
        if (cluster.Leader == WireFormat.UnknownPnn)
        {
            return;
        }
        Span<byte> payload = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, cluster.Leader);
        var msg = new ReqMessage { Srvid = Srvid.Leader, Data = payload };
        var buffer = _scratch.Get(Packet.WireSize(msg.ContentLength));
        int size = msg.Write(buffer, LocalHeader());
        client.Connection.Send(buffer[..size]);
    }
}
