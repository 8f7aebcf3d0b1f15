// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace CtdbPcmk.Server.Tests;

/// <summary>
/// A test playing one node of a <see cref="NodeCluster"/> with plain sockets: it listens on the
/// node's address for the daemons' sending links and opens its own links from that address.
/// </summary>
public sealed class FakeNode : IDisposable
{
    private readonly NodeCluster _cluster;
    private readonly Socket _listener;
    private readonly List<Socket> _sockets = new();

    public FakeNode(NodeCluster cluster, int pnn)
    {
        _cluster = cluster;
        Pnn = pnn;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(NodeCluster.Address(pnn), cluster.Port));
        _listener.Listen(10);
    }

    public int Pnn { get; }

    /// <summary>Accepts until the sending link of node <paramref name="from"/> arrives; null if it does not within the time.</summary>
    public Socket? AcceptFrom(int from, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !_listener.Poll(left, SelectMode.SelectRead))
            {
                return null;
            }
            var s = _listener.Accept();
            _sockets.Add(s);
            if (((IPEndPoint)s.RemoteEndPoint!).Address.Equals(NodeCluster.Address(from)))
            {
                s.ReceiveTimeout = 5000;
                return s;
            }
        }
    }

    /// <summary>Opens this node's link to node <paramref name="to"/>, from this node's address.</summary>
    public Socket ConnectTo(int to) => Open(NodeCluster.Address(Pnn), to, _cluster.Port, _sockets);

    internal static Socket Open(IPAddress from, int to, int port, List<Socket>? track = null)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        track?.Add(s);
        s.Bind(new IPEndPoint(from, 0));
        s.Connect(new IPEndPoint(NodeCluster.Address(to), port));
        s.ReceiveTimeout = 5000;
        return s;
    }

    /// <summary>Reads one whole packet (by its length field).</summary>
    public static byte[] ReadPacket(Socket s)
    {
        var head = new byte[4];
        ReadExactly(s, head);
        var packet = new byte[BinaryPrimitives.ReadUInt32LittleEndian(head)];
        head.CopyTo(packet, 0);
        ReadExactly(s, packet.AsSpan(4));
        return packet;
    }

    private static void ReadExactly(Socket s, Span<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            int n = s.Receive(buffer);
            if (n == 0)
            {
                throw new IOException("connection closed");
            }
            buffer = buffer[n..];
        }
    }

    /// <summary>True when the peer closes the socket within the time (data before the close is skipped).</summary>
    public static bool ClosedByPeer(Socket s, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        var buffer = new byte[4096];
        while (DateTime.UtcNow < deadline)
        {
            if (!s.Poll(deadline - DateTime.UtcNow, SelectMode.SelectRead))
            {
                return false;
            }
            try
            {
                if (s.Receive(buffer) == 0)
                {
                    return true;
                }
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                return true;
            }
        }
        return false;
    }

    public void Dispose()
    {
        foreach (var s in _sockets)
        {
            s.Dispose();
        }
        _listener.Dispose();
    }
}
