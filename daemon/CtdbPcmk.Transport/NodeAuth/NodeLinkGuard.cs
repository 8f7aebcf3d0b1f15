// SPDX-License-Identifier: GPL-3.0-or-later

namespace CtdbPcmk.Transport.NodeAuth;

/// <summary>
/// Holds node links while they authenticate. A new connection, opened or accepted, is given to
/// the guard with the node it is for; the guard runs the handshake with the keys the key file
/// holds at that moment (re-read for every connection, so a key roll needs no restart) and
/// hands the connection back, sealed with its <see cref="PacketAuthenticator"/>, or closes it
/// and logs the peer's address and why (rate-limited). Until then no packet of the connection
/// reaches the daemon. Loop thread only.
/// </summary>
internal sealed class NodeLinkGuard : IPacketSink, IDisposable
{
    /// <summary>A peer that has not completed the handshake by then is dropped.</summary>
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(5);

    private readonly string _keyFile;
    private readonly EventLoop _loop;
    private readonly Serilog.ILogger _log;
    private readonly uint _pnn;
    private readonly IPacketSink _links;
    private readonly Action<TcpPeer, PacketConnection, bool> _authenticated;
    private readonly Action<TcpPeer, bool> _failed;
    private readonly RefusalLog _refusals;
    private readonly HashSet<PacketConnection> _pending = new();
    private NodeKeySet _keys;
    private string? _keyFileError;
    private bool _disposing;

    private sealed class Pending(TcpPeer peer, bool opener, LinkHandshake handshake)
    {
        public TcpPeer Peer { get; } = peer;
        public bool Opener { get; } = opener;
        public LinkHandshake Handshake { get; } = handshake;
        public LoopTimer? Timer { get; set; }
        public string? Failure { get; set; }
    }

    /// <param name="links">The sink that gets the connection once it is authenticated.</param>
    /// <param name="authenticated">Called with the peer, the connection and whether this node opened it.</param>
    /// <param name="failed">Called when a handshake fails, with the peer and whether this node opened it.</param>
    public NodeLinkGuard(string keyFile, EventLoop loop, Serilog.ILogger log, uint pnn, IPacketSink links,
        Action<TcpPeer, PacketConnection, bool> authenticated, Action<TcpPeer, bool> failed)
    {
        _keyFile = keyFile;
        _loop = loop;
        _log = log;
        _pnn = pnn;
        _links = links;
        _authenticated = authenticated;
        _failed = failed;
        _refusals = new RefusalLog(loop.Time, log);
        _keys = NodeKeyFile.Load(keyFile);
        log.Information("Node links are authenticated with the keys of {File}: {Keys}", keyFile, _keys.ToString());
    }

    /// <summary>Connections still authenticating.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>Starts the handshake on a connection this node opened to <paramref name="peer"/>.</summary>
    public void Open(PacketConnection connection, TcpPeer peer)
    {
        var handshake = LinkHandshake.Opener(CurrentKeys(), _pnn, peer.Pnn, out var hello);
        Track(connection, new Pending(peer, opener: true, handshake));
        connection.Send(hello);
    }

    /// <summary>Waits for the Hello on a connection <paramref name="peer"/>'s address opened to this node.</summary>
    public void Accept(PacketConnection connection, TcpPeer peer) =>
        Track(connection, new Pending(peer, opener: false, LinkHandshake.Acceptor(CurrentKeys(), _pnn, peer.Pnn)));

    private void Track(PacketConnection connection, Pending pending)
    {
        connection.Owner = pending;
        _pending.Add(connection);
        pending.Timer = _loop.AddTimer(HandshakeTimeout, () =>
        {
            pending.Timer = null;
            pending.Failure = $"no complete handshake within {HandshakeTimeout.TotalSeconds:0} s";
            connection.Close(pending.Failure);
        });
    }

    /// <summary>The key file as it is now; when it cannot be read, the keys last read (and an error, logged once per problem).</summary>
    private NodeKeySet CurrentKeys()
    {
        try
        {
            var keys = NodeKeyFile.Load(_keyFile);
            if (_keyFileError is not null || !SameKeys(keys, _keys))
            {
                _log.Information("Node key file {File} now holds {Keys}", _keyFile, keys.ToString());
            }
            _keyFileError = null;
            _keys = keys;
        }
        catch (NodeKeyFileException e)
        {
            if (_keyFileError != e.Message)
            {
                _log.Error("{Error}; node links keep using the keys read before: {Keys}", e.Message, _keys.ToString());
                _keyFileError = e.Message;
            }
        }
        return _keys;
    }

    private static bool SameKeys(NodeKeySet a, NodeKeySet b) =>
        a.Keys.Count == b.Keys.Count && a.Keys.Select(k => k.Id).SequenceEqual(b.Keys.Select(k => k.Id));

    void IPacketSink.OnPacket(PacketConnection connection, ReadOnlySpan<byte> packet)
    {
        var pending = (Pending)connection.Owner!;
        var step = pending.Handshake.Receive(packet);
        if (step.Reply is { } reply)
        {
            connection.Send(reply);
        }
        if (step.Failure is { } failure)
        {
            pending.Failure = failure;
            connection.Close(failure);
            return;
        }
        if (step.Authenticator is not { } authenticator)
        {
            return;
        }
        pending.Timer?.Cancel();
        _pending.Remove(connection);
        // Frames after this one, even those already read, are opened with the link's keys.
        connection.Protection = authenticator;
        connection.Owner = pending.Peer;
        connection.Sink = _links;
        _log.Debug("Link {Direction} node {Pnn} ({Address}) authenticated with key {Key}",
            pending.Opener ? "to" : "from", pending.Peer.Pnn, pending.Peer.Address, pending.Handshake.Key!.ToString());
        _authenticated(pending.Peer, connection, pending.Opener);
    }

    void IPacketSink.OnClosed(PacketConnection connection, string? reason)
    {
        var pending = (Pending)connection.Owner!;
        pending.Timer?.Cancel();
        _pending.Remove(connection);
        string why = pending.Failure ?? reason ?? "the peer closed the connection during the handshake (no node key, or not ours)";
        if (_disposing)
        {
            return;
        }
        if (why.StartsWith("malformed packet: ", StringComparison.Ordinal))
        {
            why = why["malformed packet: ".Length..];
        }
        _refusals.Refused(pending.Peer.Address, pending.Opener,
            pending.Opener ? $"node {pending.Peer.Pnn}" : $"node {pending.Peer.Pnn}'s address", why);
        _failed(pending.Peer, pending.Opener);
    }

    public void Dispose()
    {
        _disposing = true;
        foreach (var connection in _pending.ToArray())
        {
            connection.Close("daemon shutting down");
        }
    }
}
