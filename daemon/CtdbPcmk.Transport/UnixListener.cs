// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text;
using CtdbPcmk.Linux;
using static CtdbPcmk.Linux.Interop.Libc;

namespace CtdbPcmk.Transport;

/// <summary>
/// The client socket (AF_UNIX stream, mode 0700 so only root — or the daemon's user — can
/// connect, backlog 100 as ctdbd). Accepted descriptors are non-blocking and carry the peer's
/// credentials from SO_PEERCRED.
/// </summary>
internal sealed unsafe class UnixListener : IEventHandler, IDisposable
{
    private readonly EventLoop _loop;
    private readonly SafeFdHandle _fd;
    private readonly Action<SafeFdHandle, UCred> _accepted;

    public UnixListener(EventLoop loop, string path, Action<SafeFdHandle, UCred> accepted)
    {
        _loop = loop;
        _accepted = accepted;
        Path = path;
        var dir = System.IO.Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }
        RemoveStale(path);
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            throw LastError.AsIOException("socket(AF_UNIX)");
        }
        _fd = new SafeFdHandle(fd);
        byte[] pathBytes = Encoding.UTF8.GetBytes(path);
        if (pathBytes.Length > SockAddr.UnixPathMax)
        {
            _fd.Dispose();
            throw new IOException($"socket path too long (max {SockAddr.UnixPathMax} bytes): {path}");
        }
        byte* addr = stackalloc byte[sizeof(SockAddrUn)];
        int addrLength = SockAddr.WriteUnix(pathBytes, new Span<byte>(addr, sizeof(SockAddrUn)));
        if (bind(fd, addr, addrLength) != 0)
        {
            var e = LastError.AsIOException($"bind({path})");
            _fd.Dispose();
            throw e;
        }
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (listen(fd, 100) != 0)
        {
            var e = LastError.AsIOException("listen");
            _fd.Dispose();
            throw e;
        }
        loop.Register(fd, this, EPOLLIN);
    }

    public string Path { get; }

    /// <summary>Refuses to take over the socket of a daemon that still answers on it.</summary>
    private static void RemoveStale(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }
        using (var probe = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified))
        {
            try
            {
                probe.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
                throw new IOException($"another daemon is listening on {path}");
            }
            catch (System.Net.Sockets.SocketException)
            {
                // nobody listens: a stale socket file
            }
        }
        File.Delete(path);
    }

    public void OnEvents(uint events)
    {
        while (true)
        {
            int fd = accept4(_fd.Fd, null, null, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0)
            {
                var errno = LastError.Errno;
                if (errno == Errno.EINTR)
                {
                    continue;
                }
                return; // EAGAIN, or a transient error such as EMFILE: try again on the next wakeup
            }
            var handle = new SafeFdHandle(fd);
            UCred cred;
            int len = sizeof(UCred);
            if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
            {
                cred = new UCred { pid = -1, uid = uint.MaxValue, gid = uint.MaxValue };
            }
            _accepted(handle, cred);
        }
    }

    public void Dispose()
    {
        _loop.Unregister(_fd.Fd);
        _fd.Dispose();
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
            // already gone
        }
    }
}
