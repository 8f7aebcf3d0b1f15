// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux;

/// <summary>Checked wrappers around the socket calls; failures throw <see cref="ErrnoException"/>.</summary>
public static class LinuxSocket
{
    /// <summary>AF_UNIX.</summary>
    public const int AfUnix = Interop.Libc.AF_UNIX;
    /// <summary>AF_INET.</summary>
    public const int AfInet = Interop.Libc.AF_INET;
    /// <summary>AF_INET6.</summary>
    public const int AfInet6 = Interop.Libc.AF_INET6;
    /// <summary>AF_NETLINK.</summary>
    public const int AfNetlink = Interop.Libc.AF_NETLINK;
    /// <summary>AF_PACKET.</summary>
    public const int AfPacket = Interop.Libc.AF_PACKET;
    /// <summary>SOCK_STREAM.</summary>
    public const int SockStream = Interop.Libc.SOCK_STREAM;
    /// <summary>SOCK_DGRAM.</summary>
    public const int SockDgram = Interop.Libc.SOCK_DGRAM;
    /// <summary>SOCK_RAW.</summary>
    public const int SockRaw = Interop.Libc.SOCK_RAW;
    /// <summary>SOCK_CLOEXEC: agents never leak descriptors into tools they run.</summary>
    public const int SockCloexec = Interop.Libc.SOCK_CLOEXEC;

    /// <summary>socket(2) with SOCK_CLOEXEC.</summary>
    public static SafeFdHandle Open(int domain, int type, int protocol)
    {
        var fd = Interop.Libc.socket(domain, type | SockCloexec, protocol);
        if (fd < 0)
        {
            throw ErrnoException.FromLastError("socket");
        }
        return new SafeFdHandle(fd);
    }

    /// <summary>bind(2) to a raw socket address.</summary>
    public static unsafe void Bind(SafeFdHandle fd, ReadOnlySpan<byte> address)
    {
        fixed (byte* a = address)
        {
            if (Interop.Libc.bind(fd, a, address.Length) != 0)
            {
                throw ErrnoException.FromLastError("bind");
            }
        }
    }

    /// <summary>SOL_SOCKET.</summary>
    public const int SolSocket = Interop.Libc.SOL_SOCKET;

    /// <summary>SO_RCVTIMEO: a blocking receive gives EAGAIN after this long.</summary>
    public const int SoRcvTimeo = Interop.Libc.SO_RCVTIMEO;

    /// <summary>SO_SNDTIMEO: a blocking send, and a blocking connect (EINPROGRESS), give up after this long.</summary>
    public const int SoSndTimeo = Interop.Libc.SO_SNDTIMEO;

    /// <summary>
    /// connect(2) on a blocking socket: it waits at most SO_SNDTIMEO and then fails with
    /// EINPROGRESS. Retries EINTR (a repeated connect then reports the first one's outcome).
    /// </summary>
    public static unsafe void Connect(SafeFdHandle fd, ReadOnlySpan<byte> address)
    {
        fixed (byte* a = address)
        {
            while (Interop.Libc.connect(fd, a, address.Length) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == (int)Errno.EINTR)
                {
                    continue;
                }
                if (errno == (int)Errno.EALREADY)
                {
                    // The interrupted attempt goes on in the kernel; ask again shortly.
                    Thread.Sleep(1);
                    continue;
                }
                if (errno == (int)Errno.EISCONN)
                {
                    return;
                }
                throw new ErrnoException("connect", errno);
            }
        }
    }

    /// <summary>SO_RCVTIMEO or SO_SNDTIMEO (struct timeval).</summary>
    public static unsafe void SetTimeout(SafeFdHandle fd, int name, TimeSpan timeout)
    {
        var micros = Math.Max(1L, (long)timeout.TotalMicroseconds);
        var timeval = new Interop.Libc.Timeval { tv_sec = micros / 1_000_000, tv_usec = micros % 1_000_000 };
        if (Interop.Libc.setsockopt(fd, SolSocket, name, &timeval, sizeof(Interop.Libc.Timeval)) != 0)
        {
            throw ErrnoException.FromLastError("setsockopt");
        }
    }

    /// <summary>A sockaddr_in or sockaddr_in6 (host layout, port and address in network order).</summary>
    public static byte[] InetAddress(System.Net.IPEndPoint endpoint)
    {
        Span<byte> address = stackalloc byte[SockAddr.InetMaxSize];
        var length = SockAddr.WriteInet(endpoint.Address, endpoint.Port, address);
        return address[..length].ToArray();
    }

    /// <summary>setsockopt(2) with an int value.</summary>
    public static unsafe void SetOption(SafeFdHandle fd, int level, int name, int value)
    {
        if (Interop.Libc.setsockopt(fd, level, name, &value, sizeof(int)) != 0)
        {
            throw ErrnoException.FromLastError("setsockopt");
        }
    }

    /// <summary>sendto(2); an empty address sends on a connected/bound socket. Retries EINTR.</summary>
    public static unsafe int SendTo(SafeFdHandle fd, ReadOnlySpan<byte> data, ReadOnlySpan<byte> address)
    {
        fixed (byte* d = data)
        fixed (byte* a = address)
        {
            while (true)
            {
                var n = Interop.Libc.sendto(fd, d, (nuint)data.Length, 0, address.IsEmpty ? null : a, address.Length);
                if (n >= 0)
                {
                    return (int)n;
                }
                var errno = Marshal.GetLastPInvokeError();
                if (errno != (int)Errno.EINTR)
                {
                    throw new ErrnoException("sendto", errno);
                }
            }
        }
    }

    /// <summary>recv(2) into a buffer. Retries EINTR.</summary>
    public static unsafe int Receive(SafeFdHandle fd, Span<byte> buffer)
    {
        fixed (byte* b = buffer)
        {
            while (true)
            {
                var n = Interop.Libc.recv(fd, b, (nuint)buffer.Length, 0);
                if (n >= 0)
                {
                    return (int)n;
                }
                var errno = Marshal.GetLastPInvokeError();
                if (errno != (int)Errno.EINTR)
                {
                    throw new ErrnoException("recv", errno);
                }
            }
        }
    }

    /// <summary>Builds a sockaddr_un (host layout) for a filesystem path.</summary>
    public static byte[] UnixAddress(string path)
    {
        Span<byte> address = stackalloc byte[Unsafe.SizeOf<Interop.Libc.SockAddrUn>()];
        var length = SockAddr.WriteUnix(System.Text.Encoding.UTF8.GetBytes(path), address);
        return address[..length].ToArray();
    }
}
