// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using CtdbPcmk.Linux;
using static CtdbPcmk.Linux.Interop.Libc;

namespace CtdbPcmk.Transport;

/// <summary>
/// The node port: a TCP listener on this node's own address. Accepted sockets are
/// non-blocking and handed over with the peer's source address, which is all that identifies
/// the peer (the node protocol has no handshake).
/// </summary>
internal sealed unsafe class TcpNodeListener : IEventHandler, IDisposable
{
    private readonly EventLoop _loop;
    private readonly SafeFdHandle _fd;
    private readonly Action<SafeFdHandle, IPAddress?> _accepted;

    public TcpNodeListener(EventLoop loop, IPAddress address, int port, Action<SafeFdHandle, IPAddress?> accepted)
    {
        _loop = loop;
        _accepted = accepted;
        int fd = socket(TcpSockAddr.Family(address), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            throw LastError.AsIOException("socket(node listener)");
        }
        _fd = new SafeFdHandle(fd);
        try
        {
            // A restarted daemon must get its port back while old links sit in TIME_WAIT.
            int one = 1;
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(int));
            byte* sa = stackalloc byte[TcpSockAddr.MaxSize];
            int len = TcpSockAddr.Write(address, port, new Span<byte>(sa, TcpSockAddr.MaxSize));
            if (bind(fd, sa, len) != 0)
            {
                throw LastError.AsIOException($"bind({address} port {port})");
            }
            if (listen(fd, 10) != 0)
            {
                throw LastError.AsIOException("listen(node port)");
            }
        }
        catch
        {
            _fd.Dispose();
            throw;
        }
        loop.Register(fd, this, EPOLLIN);
    }

    public void OnEvents(uint events)
    {
        byte* sa = stackalloc byte[TcpSockAddr.MaxSize];
        while (!_fd.IsClosed)
        {
            int len = TcpSockAddr.MaxSize;
            int fd = accept4(_fd.Fd, sa, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0)
            {
                if (LastError.Errno == Errno.EINTR)
                {
                    continue;
                }
                return; // EAGAIN, or a transient error such as EMFILE: try again on the next wakeup
            }
            _accepted(new SafeFdHandle(fd), TcpSockAddr.Read(new ReadOnlySpan<byte>(sa, Math.Min(len, TcpSockAddr.MaxSize))));
        }
    }

    public void Dispose()
    {
        if (!_fd.IsClosed)
        {
            _loop.Unregister(_fd.Fd);
            _fd.Dispose();
        }
    }
}
