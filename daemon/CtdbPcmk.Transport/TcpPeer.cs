// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using CtdbPcmk.Linux;
using static CtdbPcmk.Linux.Interop.Libc;

namespace CtdbPcmk.Transport;

/// <summary>
/// The two links to one other node: an outgoing connection this node opened and only sends on,
/// and an incoming one the peer opened and this node only reads. The outgoing side reconnects
/// forever with a growing delay; <see cref="TcpNodeTransport"/> decides what a link change means.
/// </summary>
internal sealed unsafe class TcpPeer : IEventHandler
{
    /// <summary>A connect that has not completed by then is abandoned and retried (as ctdbd).</summary>
    private static readonly TimeSpan s_connectTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_firstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_maxRetry = TimeSpan.FromSeconds(1);

    private readonly TcpNodeTransport _owner;
    private readonly EventLoop _loop;
    private readonly IPAddress _local;
    private readonly int _port;
    private SafeFdHandle? _connecting;
    private LoopTimer? _timer;
    private TimeSpan _retry = s_firstRetry;
    private int _failures;

    public TcpPeer(TcpNodeTransport owner, EventLoop loop, uint pnn, IPAddress address, IPAddress local, int port)
    {
        _owner = owner;
        _loop = loop;
        Pnn = pnn;
        Address = address;
        _local = local;
        _port = port;
    }

    public uint Pnn { get; }
    public IPAddress Address { get; }

    public override string ToString() => $"node {Pnn} ({Address})";

    /// <summary>The established sending link, or null.</summary>
    public PacketConnection? Outgoing { get; set; }

    /// <summary>The sending link while it authenticates (only with a node key), or null.</summary>
    public PacketConnection? OutgoingHandshake { get; set; }

    /// <summary>The peer's link this node reads from, or null.</summary>
    public PacketConnection? Incoming { get; set; }

    /// <summary>Both links are up and the daemon has been told so.</summary>
    public bool Connected { get; set; }

    /// <summary>Why the node is held off (no link to it made or taken), or null while it may link.</summary>
    public string? HeldBecause { get; set; }

    /// <summary>Packets received from the node on its receiving link, over the daemon's lifetime.</summary>
    public long PacketsReceived { get; set; }

    /// <summary>Opens the outgoing link after <paramref name="delay"/> (at once when zero).</summary>
    public void ScheduleConnect(TimeSpan delay)
    {
        if (HeldBecause is not null || Outgoing is not null || OutgoingHandshake is not null || _connecting is not null || _timer is not null)
        {
            return;
        }
        if (delay <= TimeSpan.Zero)
        {
            Connect();
            return;
        }
        _timer = _loop.AddTimer(delay, () =>
        {
            _timer = null;
            Connect();
        });
    }

    /// <summary>Schedules the next attempt after a failure or a lost link, backing off up to a second.</summary>
    public void Retry()
    {
        var delay = _retry;
        _retry = _retry * 2 > s_maxRetry ? s_maxRetry : _retry * 2;
        ScheduleConnect(delay);
    }

    private void Connect()
    {
        int fd = socket(TcpSockAddr.Family(Address), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            Failed($"socket: errno {(int)LastError.Errno}");
            return;
        }
        var handle = new SafeFdHandle(fd);
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(int));
        setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(int));
        byte* sa = stackalloc byte[TcpSockAddr.MaxSize];
        var span = new Span<byte>(sa, TcpSockAddr.MaxSize);
        // The peer knows us only by the source address: it must be our node address.
        int len = TcpSockAddr.Write(_local, 0, span);
        if (bind(fd, sa, len) != 0)
        {
            var e = LastError.Errno;
            handle.Dispose();
            Failed($"bind to {_local}: errno {(int)e}");
            return;
        }
        len = TcpSockAddr.Write(Address, _port, span);
        int rc;
        do
        {
            rc = connect(fd, sa, len);
        }
        while (rc != 0 && LastError.Errno == Errno.EINTR);
        if (rc == 0)
        {
            Established(handle);
            return;
        }
        var errno = LastError.Errno;
        if (errno != Errno.EINPROGRESS)
        {
            handle.Dispose();
            Failed($"connect: errno {(int)errno}");
            return;
        }
        _connecting = handle;
        _loop.Register(fd, this, EPOLLOUT);
        _timer = _loop.AddTimer(s_connectTimeout, () =>
        {
            _timer = null;
            AbandonConnect();
            Failed("connect timed out");
        });
    }

    /// <summary>The pending non-blocking connect finished, one way or the other.</summary>
    public void OnEvents(uint events)
    {
        var handle = _connecting;
        if (handle is null)
        {
            return;
        }
        int error = 0;
        int len = sizeof(int);
        if (getsockopt(handle.Fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0)
        {
            error = (int)LastError.Errno;
        }
        _loop.Unregister(handle.Fd);
        _connecting = null;
        _timer?.Cancel();
        _timer = null;
        if (error != 0)
        {
            handle.Dispose();
            Failed($"connect: errno {error}");
            return;
        }
        Established(handle);
    }

    private void Established(SafeFdHandle handle) => _owner.OnOutgoingUp(this, handle);

    /// <summary>The sending link is in use (with a node key: authenticated): the next loss retries quickly again.</summary>
    public void LinkUp()
    {
        _retry = s_firstRetry;
        _failures = 0;
    }

    private void Failed(string why)
    {
        _failures++;
        _owner.OnConnectFailed(this, why, _failures);
        Retry();
    }

    /// <summary>The sending link connected but was refused in the handshake: retried with the same back-off as a failed connect.</summary>
    public void HandshakeFailed()
    {
        _failures++;
        Retry();
    }

    private void AbandonConnect()
    {
        if (_connecting is { } handle)
        {
            _loop.Unregister(handle.Fd);
            handle.Dispose();
            _connecting = null;
        }
    }

    /// <summary>Stops connecting: cancels a pending attempt or retry (the links themselves are closed by the owner).</summary>
    public void StopConnecting()
    {
        _timer?.Cancel();
        _timer = null;
        AbandonConnect();
    }
}
