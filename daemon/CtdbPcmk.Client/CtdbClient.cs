// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Net.Sockets;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Client;

/// <summary>
/// Client of a CTDB 4.17 compatible daemon over its Unix-domain socket (ctdbd or ctdb-pcmkd).
/// </summary>
/// <remarks>
/// One blocking socket and two reusable buffers: a request is written, sent, and the caller's
/// thread reads until the reply with the same reqid arrives, so a round trip costs two
/// syscalls and no thread hop. Replies are framed by the header's length (the daemon pads it
/// to 8 bytes); payload sizes always come from the inner datalen fields. Replies to requests
/// abandoned after a timeout are discarded by reqid. REQ_MESSAGEs that arrive meanwhile go to
/// <see cref="MessageReceived"/> if a handler is attached, else into a queue read by
/// <see cref="TryReceiveMessage"/>.
/// Not thread-safe: use one client per thread (connections are cheap).
/// </remarks>
public sealed partial class CtdbClient : IDisposable
{
    private const int InitialBufferSize = 4096;

    private readonly Socket _socket;
    private readonly string _socketPath;
    private readonly Queue<CtdbMessage> _messages = new();
    private byte[] _send = new byte[InitialBufferSize];
    private readonly FrameReader _frames = new(InitialBufferSize);
    private uint _nextReqId = 1;
    private uint _srcNode = WireFormat.UnknownPnn;
    private int _socketTimeoutMs = -1;
    private TimeSpan _timeout = TimeSpan.FromSeconds(30);
    private string? _brokenReason;
    private bool _disposed;

    // Location of the last reply's data and error text inside the receive buffer (valid until the next request).
    private int _replyDataOffset;
    private int _replyDataLength;
    private int _replyErrorOffset;
    private int _replyErrorLength;

    private CtdbClient(Socket socket, string socketPath)
    {
        _socket = socket;
        _socketPath = socketPath;
    }

    /// <summary>
    /// Raised for every REQ_MESSAGE while this client reads from the socket (inside a request or
    /// <see cref="TryReceiveMessage"/>), on the reading thread. While a handler is attached
    /// messages are not queued. The handler must not call back into this client.
    /// </summary>
    public event Action<CtdbMessage>? MessageReceived;

    /// <summary>Default time a request waits for its reply (30 s unless changed).</summary>
    public TimeSpan Timeout
    {
        get => _timeout;
        set
        {
            if (value <= TimeSpan.Zero && value != System.Threading.Timeout.InfiniteTimeSpan)
            {
                throw new ArgumentOutOfRangeException(nameof(value), "timeout must be positive or infinite");
            }
            _timeout = value;
        }
    }

    /// <summary>Path of the daemon socket this client is connected to.</summary>
    public string SocketPath => _socketPath;

    /// <summary>Connects to the daemon listening on <paramref name="socketPath"/>.</summary>
    /// <exception cref="CtdbConnectionException">The socket cannot be connected.</exception>
    public static CtdbClient Connect(string socketPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new CtdbConnectionException($"cannot connect to daemon socket {socketPath}: {e.Message}", e);
        }
        return new CtdbClient(socket, socketPath);
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _socket.Dispose();
        }
    }

    private uint NextReqId()
    {
        uint id = _nextReqId++;
        if (_nextReqId == 0)
        {
            _nextReqId = 1;
        }
        return id;
    }

    private PacketHeader NewHeader(uint destNode, uint reqId) =>
        new(0, 0, Operation.ReqControl, destNode, _srcNode, reqId);

    /// <summary>Makes sure the send buffer holds a packet of <paramref name="contentLength"/> plus padding.</summary>
    private Span<byte> SendBuffer(int contentLength)
    {
        int need = WireFormat.Align(contentLength);
        if (need > WireFormat.MaxPacketSize)
        {
            throw new ArgumentException($"request of {need} bytes exceeds the {WireFormat.MaxPacketSize}-byte packet limit");
        }
        if (_send.Length < need)
        {
            _send = new byte[Math.Max(need, _send.Length * 2)];
        }
        return _send;
    }

    private void CheckUsable()
    {
        // A connection closed because it failed reports why, not just that it is disposed.
        if (_brokenReason is not null)
        {
            throw new CtdbConnectionException($"connection to {_socketPath} is closed: {_brokenReason}");
        }
        ObjectDisposedException.ThrowIf(_disposed, this);
    }

    private void Send(int length)
    {
        int off = 0;
        try
        {
            while (off < length)
            {
                off += _socket.Send(_send.AsSpan(off, length - off), SocketFlags.None);
            }
        }
        catch (SocketException e)
        {
            throw Break($"sending to the daemon failed: {e.Message}", e);
        }
    }

    /// <summary>Marks the connection dead, closes it, and returns the exception to throw.</summary>
    private CtdbConnectionException Break(string reason, Exception? inner = null)
    {
        _brokenReason = reason;
        _socket.Dispose();
        _disposed = true;
        string message = $"connection to {_socketPath}: {reason}";
        return inner is null ? new CtdbConnectionException(message) : new CtdbConnectionException(message, inner);
    }

    private long Deadline(TimeSpan timeout)
    {
        if (timeout == System.Threading.Timeout.InfiniteTimeSpan)
        {
            SetSocketTimeout(0);
            return long.MaxValue;
        }
        SetSocketTimeout((int)Math.Clamp(Math.Ceiling(timeout.TotalMilliseconds), 1, int.MaxValue));
        return Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>SO_RCVTIMEO is only changed when it differs, so a steady timeout costs no syscall.</summary>
    private void SetSocketTimeout(int ms)
    {
        if (ms != _socketTimeoutMs)
        {
            _socket.ReceiveTimeout = ms;
            _socketTimeoutMs = ms;
        }
    }

    /// <summary>
    /// Reads until the reply to <paramref name="reqId"/> arrives; dispatches messages and drops
    /// stale replies on the way. Returns the packet's offset in the receive buffer.
    /// </summary>
    private int WaitReply(uint reqId, Operation expected, long deadline, out int length)
    {
        while (true)
        {
            int start = ReceivePacket(out length);
            var packet = _frames.Buffer.Span.Slice(start, length);
            var header = ReadHeader(packet);
            if (header.Operation == Operation.ReqMessage)
            {
                DispatchMessage(packet, header);
            }
            else if (header.ReqId == reqId)
            {
                if (header.Operation != expected)
                {
                    throw Break($"daemon answered request {reqId} with {header.Operation}, expected {expected}");
                }
                return start;
            }
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"no reply from {_socketPath} to request {reqId} in time");
            }
        }
    }

    private PacketHeader ReadHeader(ReadOnlySpan<byte> packet)
    {
        try
        {
            return PacketHeader.Read(packet);
        }
        catch (ProtocolException e)
        {
            throw Break($"malformed packet from the daemon: {e.Message}", e);
        }
    }

    private void DispatchMessage(ReadOnlySpan<byte> packet, PacketHeader header)
    {
        ReqMessage body;
        try
        {
            body = ReqMessage.Read(packet);
        }
        catch (ProtocolException e)
        {
            throw Break($"malformed REQ_MESSAGE from the daemon: {e.Message}", e);
        }
        var message = new CtdbMessage(body.Srvid, header.SrcNode, body.Data.ToArray());
        var handler = MessageReceived;
        if (handler is not null)
        {
            handler(message);
        }
        else
        {
            _messages.Enqueue(message);
        }
    }

    /// <summary>Returns the offset of the next complete packet in the receive buffer; it stays there until the next read.</summary>
    private int ReceivePacket(out int length)
    {
        while (true)
        {
            try
            {
                if (_frames.TryTake(out int start, out length))
                {
                    return start;
                }
            }
            catch (ProtocolException e)
            {
                throw Break($"malformed packet from the daemon: {e.Message}", e);
            }
            Fill();
        }
    }

    private void Fill()
    {
        int n;
        try
        {
            n = _socket.Receive(_frames.FreeSpace(), SocketFlags.None);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            throw new TimeoutException($"no reply from {_socketPath} in time", e);
        }
        catch (SocketException e)
        {
            throw Break($"receiving from the daemon failed: {e.Message}", e);
        }
        if (n == 0)
        {
            throw Break("the daemon closed the connection");
        }
        _frames.Advance(n);
    }
}
