// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using CtdbPcmk.Linux;
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Controls;
using CtdbPcmk.Server.Statistics;
using CtdbPcmk.Transport;

namespace CtdbPcmk.Server.Clients;

/// <summary>A client's control, call or message, handed on by <see cref="ClientSessions"/>.</summary>
internal delegate void ClientControlHandler(ClientConnection client, PacketHeader header, ReqControl control);

internal delegate void ClientCallHandler(ClientConnection client, PacketHeader header, ReqCall call);

internal delegate void ClientMessageHandler(uint destNode, ulong srvid, ReadOnlySpan<byte> data);

/// <summary>What arrives from clients goes to these; set once by the daemon.</summary>
internal sealed record ClientTraffic(ClientControlHandler OnControl, ClientCallHandler OnCall,
    ClientMessageHandler OnMessage);

/// <summary>
/// The client socket's connections (smbd, the ctdb tool, agents): who may connect, their
/// packets sorted to the subsystems, and the client controls (PROCESS_EXISTS, persistent
/// update counts). A closing client is announced through <see cref="Closed"/>.
/// </summary>
internal sealed class ClientSessions(EventLoop loop, DaemonStatistics statistics, ClientLimits limits, Serilog.ILogger log) : IPacketSink
{
    private readonly Dictionary<uint, ClientConnection> _clients = new();
    private long _refused;
    private uint _nextId = 1;
    private ClientTraffic? _traffic;
    /// <summary>
    /// Memory for clients' packets of megabytes being read ([limits] large packet memory). The
    /// node links have one of their own: a client held by the daemon (its pending calls wait for
    /// a recovery) must never keep a recovery's node packets waiting.
    /// </summary>
    public InputBudget LargePackets { get; } = new(loop, limits.LargePackets, limits.LargePacketStall, log,
        "clients ([limits] large packet memory)");

    /// <summary>A client disconnected; what it owned elsewhere is to be released.</summary>
    public event Action<ClientConnection>? Closed;

    public int Count => _clients.Count;

    /// <summary>Sets where client packets go; once, before the first client connects.</summary>
    public void Route(ClientTraffic traffic) => _traffic = traffic;

    /// <summary>A connection accepted on the client socket.</summary>
    public void Accept(SafeFdHandle fd, Interop.Libc.UCred cred)
    {
        // Only root may use the socket (and the daemon's own user, when it is not root): the
        // socket carries every database of the cluster.
        uint self = (uint)Interop.Libc.geteuid();
        if (cred.uid != 0 && cred.uid != self)
        {
            log.Warning("Refused client pid {Pid} uid {Uid}: only root may connect", cred.pid, cred.uid);
            fd.Dispose();
            return;
        }
        if (_clients.Count >= limits.MaxClients)
        {
            // One line per 1,000 refusals: a flood of connections must not flood the log too.
            if (_refused++ % 1000 == 0)
            {
                log.Warning("Refused client pid {Pid}: {Count} clients are connected, the limit ([limits] max clients); {Refused} refused so far",
                    cred.pid, _clients.Count, _refused);
            }
            fd.Dispose();
            return;
        }
        uint id = _nextId++;
        if (_nextId == 0)
        {
            _nextId = 1;
        }
        var connection = new PacketConnection(loop, fd, this, queueLimits: new OutputLimits(limits.QueuePause, limits.QueueMaximum),
            budget: LargePackets) { ClosesOnStall = true };
        var client = new ClientConnection(id, connection, cred.pid, cred.uid);
        connection.Owner = client;
        _clients[id] = client;
        statistics.Counters.NumClients = (uint)_clients.Count;
        log.Debug("Client {Id} connected, pid {Pid}", id, cred.pid);
    }

    /// <summary>Closes every connection (shutdown).</summary>
    public void CloseAll(string why)
    {
        foreach (var client in _clients.Values.ToArray())
        {
            client.Connection.Close(why);
        }
    }

    void IPacketSink.OnPacket(PacketConnection connection, ReadOnlySpan<byte> packet)
    {
        if (connection.Owner is ClientConnection client)
        {
            OnPacket(client, packet);
        }
    }

    void IPacketSink.OnPaused(PacketConnection connection, long queued)
    {
        if (connection.Owner is ClientConnection client)
        {
            log.Warning("Client {Id} (pid {Pid}) does not read its replies: {Queued} bytes queued ([limits] client queue pause {Limit}); its requests wait until half of that has left",
                client.Id, client.Pid, queued, limits.QueuePause);
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
            log.Warning("Client {Id} (pid {Pid}) disconnected: {Reason}", client.Id, client.Pid, reason);
        }
        else
        {
            log.Debug("Client {Id} (pid {Pid}) disconnected", client.Id, client.Pid);
        }
        Closed?.Invoke(client);
        _clients.Remove(client.Id);
        statistics.Counters.NumClients = (uint)_clients.Count;
    }

    private void OnPacket(ClientConnection client, ReadOnlySpan<byte> packet)
    {
        var traffic = _traffic ?? throw new InvalidOperationException("client traffic is not routed");
        var header = PacketHeader.Read(packet);
        var counters = statistics.Counters;
        counters.ClientPacketsRecv++;
        switch (header.Operation)
        {
            case Operation.ReqControl:
                counters.ClientReqControl++;
                traffic.OnControl(client, header, ReqControl.Read(packet));
                break;
            case Operation.ReqCall:
                counters.ClientReqCall++;
                traffic.OnCall(client, header, ReqCall.Read(packet));
                break;
            case Operation.ReqMessage:
                counters.ClientReqMessage++;
                var msg = ReqMessage.Read(packet);
                traffic.OnMessage(header.DestNode, msg.Srvid, msg.Data);
                break;
            case Operation.ReqTunnel:
                // No tunnel is ever registered here, so like ctdbd the packet is dropped.
                counters.ClientReqTunnel++;
                log.Debug("Client {Id} sent a tunnel packet; no tunnel is registered, dropped", client.Id);
                break;
            default:
                throw new ProtocolException($"operation {(uint)header.Operation} is not valid from a client");
        }
    }

    /// <summary>
    /// PROCESS_EXISTS: 0 if a connected client has this pid and the process is alive, or if
    /// <paramref name="unsettled"/> says work of that pid is still being settled (a commit).
    /// </summary>
    public ControlReply ProcessExists(ReadOnlySpan<byte> data, Func<int, bool> unsettled)
    {
        if (data.Length != 4)
        {
            return ControlReply.Fail;
        }
        int pid = BinaryPrimitives.ReadInt32LittleEndian(data);
        if (unsettled(pid))
        {
            return ControlReply.Ok;
        }
        foreach (var client in _clients.Values)
        {
            if (client.Pid == pid)
            {
                return new ControlReply(ProcessSignal.Exists(pid) ? 0 : -1);
            }
        }
        return new ControlReply(-1);
    }

    /// <summary>Legacy START/CANCEL_PERSISTENT_UPDATE: a per-client count.</summary>
    public static ControlReply PersistentUpdate(ClientConnection? client, int delta)
    {
        if (client is null)
        {
            return ControlReply.Fail;
        }
        client.PersistentUpdates = Math.Max(0, client.PersistentUpdates + delta);
        return ControlReply.Ok;
    }
}
