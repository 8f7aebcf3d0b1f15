// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux;

/// <summary>Checked wrappers around the socket calls; failures throw <see cref="ErrnoException"/>.</summary>
public static class LinuxSocket
{
    /// <summary>AF_UNIX.</summary>
    public const int AfUnix = 1;
    /// <summary>AF_INET.</summary>
    public const int AfInet = 2;
    /// <summary>AF_INET6.</summary>
    public const int AfInet6 = 10;
    /// <summary>AF_NETLINK.</summary>
    public const int AfNetlink = 16;
    /// <summary>AF_PACKET.</summary>
    public const int AfPacket = 17;
    /// <summary>SOCK_STREAM.</summary>
    public const int SockStream = 1;
    /// <summary>SOCK_DGRAM.</summary>
    public const int SockDgram = 2;
    /// <summary>SOCK_RAW.</summary>
    public const int SockRaw = 3;
    /// <summary>SOCK_CLOEXEC: agents never leak descriptors into tools they run.</summary>
    public const int SockCloexec = 0x80000;

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
    public const int SolSocket = 1;

    /// <summary>SO_RCVTIMEO: a blocking receive gives EAGAIN after this long.</summary>
    public const int SoRcvTimeo = 20;

    /// <summary>SO_SNDTIMEO: a blocking send, and a blocking connect (EINPROGRESS), give up after this long.</summary>
    public const int SoSndTimeo = 21;

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

    /// <summary>SO_RCVTIMEO or SO_SNDTIMEO (struct timeval, 64-bit).</summary>
    public static unsafe void SetTimeout(SafeFdHandle fd, int name, TimeSpan timeout)
    {
        var micros = Math.Max(1L, (long)timeout.TotalMicroseconds);
        var timeval = stackalloc long[2];
        timeval[0] = micros / 1_000_000;
        timeval[1] = micros % 1_000_000;
        if (Interop.Libc.setsockopt(fd, SolSocket, name, timeval, 2 * sizeof(long)) != 0)
        {
            throw ErrnoException.FromLastError("setsockopt");
        }
    }

    /// <summary>A sockaddr_in or sockaddr_in6 (host layout, port and address in network order).</summary>
    public static byte[] InetAddress(System.Net.IPEndPoint endpoint)
    {
        var ipv4 = endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
        var address = new byte[ipv4 ? 16 : 28];
        BitConverter.TryWriteBytes(address.AsSpan(0, 2), (ushort)(ipv4 ? AfInet : AfInet6));
        address[2] = (byte)(endpoint.Port >> 8);
        address[3] = (byte)endpoint.Port;
        if (ipv4)
        {
            endpoint.Address.TryWriteBytes(address.AsSpan(4, 4), out _);
        }
        else
        {
            endpoint.Address.TryWriteBytes(address.AsSpan(8, 16), out _);
            BitConverter.TryWriteBytes(address.AsSpan(24, 4), (uint)endpoint.Address.ScopeId);
        }
        return address;
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
        // sockaddr_un: sa_family_t (2 bytes, host order) + sun_path[108], NUL-terminated.
        var bytes = System.Text.Encoding.UTF8.GetBytes(path);
        if (bytes.Length >= 108)
        {
            throw new ArgumentException("unix socket path too long", nameof(path));
        }
        var address = new byte[2 + bytes.Length + 1];
        BitConverter.TryWriteBytes(address.AsSpan(0, 2), (ushort)AfUnix);
        bytes.CopyTo(address, 2);
        return address;
    }
}
