// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using CtdbPcmk.Protocol;
using static CtdbPcmk.Server.Interop.Libc;

namespace CtdbPcmk.Server.Transport;

/// <summary>
/// A non-blocking stream socket carrying CTDB packets: frames input by the leading length
/// field (framing knows nothing about packet meaning) and queues output the socket cannot take
/// at once. Used for client connections and for node links.
/// </summary>
internal sealed unsafe class PacketConnection : IEventHandler
{
    private const int InitialBuffer = 16 * 1024;
    /// <summary>Bytes read per wakeup before other descriptors get a turn.</summary>
    private const int ReadBudget = 1024 * 1024;

    private readonly EventLoop _loop;
    private readonly SafeFd _fd;
    private readonly IPacketSink _sink;
    private readonly int _maxPacket;
    private byte[] _in = new byte[InitialBuffer];
    private int _inStart;
    private int _inEnd;
    private readonly Queue<byte[]> _out = new();
    private int _outOffset;
    private bool _wantWrite;

    public PacketConnection(EventLoop loop, SafeFd fd, IPacketSink sink, int maxPacket = WireFormat.MaxPacketSize)
    {
        _loop = loop;
        _fd = fd;
        _sink = sink;
        _maxPacket = maxPacket;
        loop.Register(fd.Fd, this, EPOLLIN | EPOLLRDHUP);
    }

    public bool IsClosed { get; private set; }

    /// <summary>Bytes queued and not yet accepted by the socket.</summary>
    public long QueuedBytes { get; private set; }

    /// <summary>Free-form owner state (the client or node this connection belongs to).</summary>
    public object? Owner { get; set; }

    public int Fd => _fd.Fd;

    public void OnEvents(uint events)
    {
        if ((events & EPOLLOUT) != 0)
        {
            Flush();
        }
        if (!IsClosed && (events & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP)) != 0)
        {
            Receive();
        }
    }

    /// <summary>Sends one packet (already padded). Copies it only if the socket cannot take it now.</summary>
    public void Send(ReadOnlySpan<byte> packet)
    {
        if (IsClosed)
        {
            return;
        }
        if (_out.Count == 0)
        {
            int sent = SendSome(packet);
            if (sent < 0)
            {
                return;
            }
            if (sent == packet.Length)
            {
                return;
            }
            packet = packet[sent..];
        }
        _out.Enqueue(packet.ToArray());
        QueuedBytes += packet.Length;
        if (!_wantWrite)
        {
            _wantWrite = true;
            _loop.Modify(_fd.Fd, EPOLLIN | EPOLLRDHUP | EPOLLOUT);
        }
    }

    private int SendSome(ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            while (true)
            {
                nint n = send(_fd.Fd, p, data.Length, MSG_NOSIGNAL | MSG_DONTWAIT);
                if (n >= 0)
                {
                    return (int)n;
                }
                int errno = Errno.Last;
                if (errno == Errno.EINTR)
                {
                    continue;
                }
                if (errno == Errno.EAGAIN)
                {
                    return 0;
                }
                Close($"send failed (errno {errno})");
                return -1;
            }
        }
    }

    private void Flush()
    {
        while (_out.TryPeek(out var head))
        {
            int sent = SendSome(head.AsSpan(_outOffset));
            if (sent < 0)
            {
                return;
            }
            QueuedBytes -= sent;
            _outOffset += sent;
            if (_outOffset < head.Length)
            {
                return;
            }
            _out.Dequeue();
            _outOffset = 0;
        }
        if (_wantWrite)
        {
            _wantWrite = false;
            _loop.Modify(_fd.Fd, EPOLLIN | EPOLLRDHUP);
        }
    }

    private void Receive()
    {
        int budget = ReadBudget;
        while (budget > 0 && !IsClosed)
        {
            if (_inEnd == _in.Length)
            {
                MakeRoom(_inStart > 0 ? _in.Length : _in.Length * 2);
            }
            nint n;
            fixed (byte* p = &_in[_inEnd])
            {
                n = recv(_fd.Fd, p, _in.Length - _inEnd, MSG_DONTWAIT);
            }
            if (n > 0)
            {
                _inEnd += (int)n;
                budget -= (int)n;
                Deliver();
                continue;
            }
            if (n == 0)
            {
                Close(null);
                return;
            }
            int errno = Errno.Last;
            if (errno == Errno.EINTR)
            {
                continue;
            }
            if (errno == Errno.ECONNRESET)
            {
                Close(null); // the peer went away with data unread: an ordinary disconnect
            }
            else if (errno != Errno.EAGAIN)
            {
                Close($"recv failed (errno {errno})");
            }
            return;
        }
    }

    private void Deliver()
    {
        while (!IsClosed)
        {
            int have = _inEnd - _inStart;
            if (have < 4)
            {
                break;
            }
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(_in.AsSpan(_inStart));
            if (length < WireFormat.HeaderSize || length > (uint)_maxPacket)
            {
                Close($"bad packet length {length}");
                return;
            }
            if (have < length)
            {
                if (length > _in.Length)
                {
                    MakeRoom((int)length);
                }
                break;
            }
            var packet = _in.AsSpan(_inStart, (int)length);
            _inStart += (int)length;
            try
            {
                _sink.OnPacket(this, packet);
            }
            catch (ProtocolException e)
            {
                Close($"malformed packet: {e.Message}");
                return;
            }
        }
        if (_inStart == _inEnd)
        {
            _inStart = _inEnd = 0;
            if (_in.Length > InitialBuffer * 4)
            {
                _in = new byte[InitialBuffer];
            }
        }
    }

    private void MakeRoom(int capacity)
    {
        int have = _inEnd - _inStart;
        var target = capacity > _in.Length ? new byte[capacity] : _in;
        Buffer.BlockCopy(_in, _inStart, target, 0, have);
        _in = target;
        _inStart = 0;
        _inEnd = have;
    }

    /// <summary>Closes the socket once; the sink hears about it.</summary>
    public void Close(string? reason)
    {
        if (IsClosed)
        {
            return;
        }
        IsClosed = true;
        _loop.Unregister(_fd.Fd);
        _fd.Dispose();
        _out.Clear();
        QueuedBytes = 0;
        _sink.OnClosed(this, reason);
    }
}
