// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Net;
using CtdbPcmk.Heartbeat;
using CtdbPcmk.Protocol;
using CtdbPcmk.Linux;
using CtdbPcmk.Transport.NodeAuth;
using static CtdbPcmk.Linux.Interop.Libc;

namespace CtdbPcmk.Transport;

/// <summary>
/// The node links as ctdbd makes them: this node listens on its own address at the node port,
/// opens one connection to every other node that it only sends on, and reads only the
/// connections the others opened, knowing each peer by its source address. A node counts as
/// connected while both directions are up; a lost direction, bad input or silence for
/// KeepaliveLimit keepalive intervals takes both down (so the peer notices too) and the
/// outgoing side reconnects forever. With a node key file, every connection first passes the
/// <see cref="NodeLinkGuard"/> (a handshake both ways, then a MAC on every packet) and counts as
/// a link only once authenticated; without one the links are CTDB's, byte for byte. Loop
/// thread only.
/// </summary>
internal sealed class TcpNodeTransport : INodeTransport, IPacketSink
{
    private static readonly TimeSpan s_settingsPoll = TimeSpan.FromSeconds(1);
    /// <summary>Memory for packets of more than 256 KiB being read at once, when the daemon gives no budget of its own (see <see cref="InputBudget"/>).</summary>
    private const long LargePacketBudget = 16L << 20;

    private readonly INodeSink _sink;
    private readonly NodeLinkSettings _settings;
    private readonly EventLoop _loop;
    private readonly Serilog.ILogger _log;
    private readonly IPAddress _local;
    private readonly int _port;
    private readonly uint _pnn;
    private readonly TcpPeer?[] _peers;
    private readonly Dictionary<IPAddress, TcpPeer> _byAddress = new();
    private readonly KeepaliveMonitor _monitor;
    private readonly List<uint> _keepalives = new();
    private readonly List<uint> _dead = new();
    private readonly byte[] _keepalive = new byte[ReqKeepalive.FixedSize];
    private byte[] _padded = new byte[1024];
    private readonly NodeLinkGuard? _guard;
    private readonly InputBudget _largePackets;
    private TcpNodeListener? _listener;
    private LoopTimer? _keepaliveTimer;
    private bool _disposed;

    public TcpNodeTransport(INodeSink sink, NodeLinkSettings settings, EventLoop loop, Serilog.ILogger log,
        IReadOnlyList<IPAddress?> nodes, uint pnn, int port, string? nodeKeyFile = null, InputBudget? largePackets = null)
    {
        _sink = sink;
        _settings = settings;
        _loop = loop;
        _log = log;
        _pnn = pnn;
        _port = port;
        _local = nodes[(int)pnn] ?? throw new ArgumentException($"node {pnn} is deleted in the nodes file");
        _peers = new TcpPeer?[nodes.Count];
        for (int i = 0; i < nodes.Count; i++)
        {
            if (i == pnn || nodes[i] is not { } address)
            {
                continue;
            }
            var peer = new TcpPeer(this, loop, (uint)i, address, _local, port);
            _peers[i] = peer;
            _byAddress[address] = peer;
        }
        _monitor = new KeepaliveMonitor(nodes.Count, loop.Time);
        _largePackets = largePackets ?? new InputBudget(loop, LargePacketBudget, TimeSpan.Zero, log, "node links");
        if (nodeKeyFile is not null)
        {
            _guard = new NodeLinkGuard(nodeKeyFile, loop, log, pnn, this, OnAuthenticated, OnHandshakeFailed);
        }
    }

    public void Start()
    {
        _listener = new TcpNodeListener(_loop, _local, _port, OnAccepted);
        _log.Information("Listening for nodes on {Address} port {Port}", _local, _port);
        if (_guard is null)
        {
            _log.Warning("Node links are not authenticated (no 'node key file' in [cluster]): anyone who can reach port {Port} from a node's address can act as that node", _port);
        }
        foreach (var peer in _peers)
        {
            peer?.ScheduleConnect(TimeSpan.Zero);
        }
        ScheduleKeepalives();
    }

    /// <summary>Queues a packet on the sending link; packets go out padded to 8 bytes as node links require.</summary>
    public bool Send(uint pnn, ReadOnlySpan<byte> packet)
    {
        if (pnn >= (uint)_peers.Length || _peers[pnn]?.Outgoing is not { } link)
        {
            return false;
        }
        if ((packet.Length & (WireFormat.Alignment - 1)) != 0)
        {
            packet = Pad(packet);
        }
        _monitor.Sent(pnn);
        link.Send(packet);
        return !link.IsClosed;
    }

    public long QueuedTo(uint pnn) => pnn < (uint)_peers.Length && _peers[pnn]?.Outgoing is { } link ? link.QueuedBytes : 0;

    public long PacketsFrom(uint pnn) => pnn < (uint)_peers.Length && _peers[pnn] is { } peer ? peer.PacketsReceived : 0;

    public void Drop(uint pnn, string reason)
    {
        if (pnn < (uint)_peers.Length && _peers[pnn] is { Connected: true } peer)
        {
            LinkDown(peer, reason);
        }
    }

    public void Hold(uint pnn, string? reason)
    {
        if (pnn >= (uint)_peers.Length || _peers[pnn] is not { } peer || peer.HeldBecause == reason)
        {
            return;
        }
        peer.HeldBecause = reason;
        if (reason is null)
        {
            _log.Information("Node {Pnn} ({Address}) may link again", peer.Pnn, peer.Address);
            peer.ScheduleConnect(TimeSpan.Zero);
            return;
        }
        _log.Warning("Node {Pnn} ({Address}) held off: {Reason}", peer.Pnn, peer.Address, reason);
        var handshake = peer.OutgoingHandshake;
        peer.OutgoingHandshake = null;
        handshake?.Close(reason);
        if (peer.Connected)
        {
            LinkDown(peer, reason);
        }
        else
        {
            CloseLinks(peer, reason);
        }
        peer.StopConnecting();
    }

    private ReadOnlySpan<byte> Pad(ReadOnlySpan<byte> packet)
    {
        int size = WireFormat.Align(packet.Length);
        if (_padded.Length < size)
        {
            _padded = new byte[Math.Max(size, _padded.Length * 2)];
        }
        var dest = _padded.AsSpan(0, size);
        packet.CopyTo(dest);
        dest[packet.Length..].Clear();
        if (size >= 4)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(dest, (uint)size);
        }
        return dest;
    }

    internal void OnOutgoingUp(TcpPeer peer, SafeFdHandle handle)
    {
        if (_disposed || peer.HeldBecause is not null)
        {
            handle.Dispose();
            return;
        }
        if (_guard is not null)
        {
            var connection = new PacketConnection(_loop, handle, _guard, budget: _largePackets);
            peer.OutgoingHandshake = connection;
            _guard.Open(connection, peer);
            return;
        }
        peer.Outgoing = new PacketConnection(_loop, handle, this, budget: _largePackets) { Owner = peer };
        peer.LinkUp();
        _log.Debug("Link to node {Pnn} ({Address}) established", peer.Pnn, peer.Address);
        CheckConnected(peer);
    }

    private void OnAuthenticated(TcpPeer peer, PacketConnection connection, bool outgoing)
    {
        if (_disposed)
        {
            connection.Close("daemon shutting down");
            return;
        }
        if (peer.HeldBecause is { } held)
        {
            if (outgoing)
            {
                peer.OutgoingHandshake = null;
            }
            connection.Close(held);
            return;
        }
        if (outgoing)
        {
            peer.OutgoingHandshake = null;
            peer.Outgoing = connection;
            peer.LinkUp();
            _log.Debug("Link to node {Pnn} ({Address}) established", peer.Pnn, peer.Address);
        }
        else if (!TakeIncoming(peer, connection))
        {
            return;
        }
        CheckConnected(peer);
    }

    private void OnHandshakeFailed(TcpPeer peer, bool outgoing)
    {
        if (outgoing && !_disposed)
        {
            peer.OutgoingHandshake = null;
            peer.HandshakeFailed();
        }
    }

    internal void OnConnectFailed(TcpPeer peer, string why, int failures)
    {
        // Refused connects repeat every second while a node is down: log the first one only.
        if (failures == 1)
        {
            _log.Debug("Cannot connect to node {Pnn} ({Address}): {Reason}; retrying", peer.Pnn, peer.Address, why);
        }
    }

    private unsafe void OnAccepted(SafeFdHandle handle, IPAddress? from)
    {
        if (_disposed)
        {
            handle.Dispose();
            return;
        }
        if (from is null || !_byAddress.TryGetValue(from, out var peer))
        {
            _log.Warning("Refused a node connection from {Address}: not a node of the nodes file", from?.ToString() ?? "an unknown address");
            handle.Dispose();
            return;
        }
        if (peer.HeldBecause is { } held)
        {
            _log.Debug("Refused a connection from node {Pnn} ({Address}): held off ({Reason})", peer.Pnn, from, held);
            handle.Dispose();
            return;
        }
        int one = 1;
        setsockopt(handle.Fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(int));
        if (_guard is not null)
        {
            // Whoever holds the address proves the key before the connection counts (or can
            // keep the node's real link from being taken).
            _guard.Accept(new PacketConnection(_loop, handle, _guard, budget: _largePackets), peer);
            return;
        }
        if (peer.Incoming is not null)
        {
            RefuseSecond(peer);
            handle.Dispose();
            return;
        }
        peer.Incoming = new PacketConnection(_loop, handle, this, budget: _largePackets) { Owner = peer };
        _log.Debug("Link from node {Pnn} ({Address}) accepted", peer.Pnn, from);
        CheckConnected(peer);
    }

    /// <summary>An authenticated receiving link becomes the node's unless it has one.</summary>
    private bool TakeIncoming(TcpPeer peer, PacketConnection connection)
    {
        if (peer.Incoming is not null)
        {
            RefuseSecond(peer);
            connection.Close("a second link from the node");
            return false;
        }
        peer.Incoming = connection;
        _log.Debug("Link from node {Pnn} ({Address}) accepted", peer.Pnn, peer.Address);
        return true;
    }

    // As ctdbd: the link already there stays, the new one goes.
    private void RefuseSecond(TcpPeer peer) =>
        _log.Warning("Refused a second connection from node {Pnn} ({Address}): its link is active", peer.Pnn, peer.Address);

    private void CheckConnected(TcpPeer peer)
    {
        if (peer.Connected || peer.Outgoing is null || peer.Incoming is null)
        {
            return;
        }
        peer.Connected = true;
        _monitor.Connected(peer.Pnn);
        _sink.OnNodeConnected(peer.Pnn);
    }

    void IPacketSink.OnPacket(PacketConnection connection, ReadOnlySpan<byte> packet)
    {
        var peer = (TcpPeer)connection.Owner!;
        if (connection != peer.Incoming)
        {
            throw new ProtocolException("data arrived on a sending link");
        }
        if ((packet.Length & (WireFormat.Alignment - 1)) != 0)
        {
            throw new ProtocolException($"length {packet.Length} is not a multiple of {WireFormat.Alignment}");
        }
        _monitor.Received(peer.Pnn);
        peer.PacketsReceived++;
        try
        {
            _sink.OnNodePacket(peer.Pnn, packet);
        }
        catch (Exception e) when (e is not ProtocolException and not OutOfMemoryException)
        {
            // Whatever a packet from another node does wrong costs that link, never the daemon.
            _log.Error(e, "Packet from node {Pnn} failed", peer.Pnn);
            throw new ProtocolException($"packet failed: {e.Message}", e);
        }
    }

    void IPacketSink.OnClosed(PacketConnection connection, string? reason)
    {
        var peer = (TcpPeer)connection.Owner!;
        if (connection == peer.Outgoing)
        {
            LinkDown(peer, $"sending link closed{Because(reason)}");
        }
        else if (connection == peer.Incoming)
        {
            LinkDown(peer, $"receiving link closed{Because(reason)}");
        }
    }

    private static string Because(string? reason) => reason is null ? " by the peer" : $": {reason}";

    /// <summary>Takes both directions down, tells the daemon if the node was connected, and reconnects.</summary>
    private void LinkDown(TcpPeer peer, string reason)
    {
        if (_disposed)
        {
            return;
        }
        if (peer.Connected)
        {
            _log.Warning("Node {Pnn} ({Address}) lost: {Reason}", peer.Pnn, peer.Address, reason);
        }
        else
        {
            _log.Debug("Link with node {Pnn} ({Address}) down: {Reason}", peer.Pnn, peer.Address, reason);
        }
        CloseLinks(peer, reason);
        if (peer.Connected)
        {
            peer.Connected = false;
            _monitor.Disconnected(peer.Pnn);
            _sink.OnNodeDisconnected(peer.Pnn);
        }
        peer.StopConnecting();
        peer.Retry();
    }

    private static void CloseLinks(TcpPeer peer, string reason)
    {
        var outgoing = peer.Outgoing;
        var incoming = peer.Incoming;
        peer.Outgoing = null;
        peer.Incoming = null;
        outgoing?.Close(reason);
        incoming?.Close(reason);
    }

    /// <summary>
    /// Wakes at the end of the interval, or within a second, so that a tunable set meanwhile
    /// (setvar KeepaliveInterval) takes effect at once rather than after the old interval.
    /// </summary>
    private void ScheduleKeepalives()
    {
        var due = _monitor.DueIn;
        _keepaliveTimer = _loop.AddTimer(due < s_settingsPoll ? due : s_settingsPoll, KeepaliveTick);
    }

    private void KeepaliveTick()
    {
        if (_disposed)
        {
            return;
        }
        _monitor.Interval = _settings.KeepaliveInterval;
        _monitor.Limit = _settings.KeepaliveLimit;
        _keepalives.Clear();
        _dead.Clear();
        if (_monitor.Check(_keepalives, _dead))
        {
            foreach (uint pnn in _dead)
            {
                if (_peers[pnn] is { } peer)
                {
                    LinkDown(peer, $"no packet for {_monitor.Limit} keepalive intervals of {_monitor.Interval.TotalSeconds:0.###} s");
                }
            }
            foreach (uint pnn in _keepalives)
            {
                SendKeepalive(pnn);
            }
        }
        ScheduleKeepalives();
    }

    private void SendKeepalive(uint pnn)
    {
        if (_peers[pnn] is not { Connected: true, Outgoing: { } link })
        {
            return;
        }
        var keepalive = new ReqKeepalive { Version = WireFormat.KeepaliveVersion, Uptime = _sink.UptimeSeconds };
        keepalive.Write(_keepalive, new PacketHeader(0, _sink.Generation, Operation.ReqKeepalive, pnn, _pnn, 0));
        _sink.KeepaliveSent();
        link.Send(_keepalive);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _keepaliveTimer?.Cancel();
        _listener?.Dispose();
        _guard?.Dispose();
        foreach (var peer in _peers)
        {
            if (peer is not null)
            {
                peer.StopConnecting();
                CloseLinks(peer, "daemon shutting down");
            }
        }
    }
}
