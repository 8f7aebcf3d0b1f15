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
        var fd = Interop.Libc.Socket(domain, type | SockCloexec, protocol);
        if (fd.IsInvalid)
        {
            var error = ErrnoException.FromLastError("socket");
            fd.Dispose();
            throw error;
        }
        return fd;
    }

    /// <summary>bind(2) to a raw socket address.</summary>
    public static unsafe void Bind(SafeFdHandle fd, ReadOnlySpan<byte> address)
    {
        fixed (byte* a = address)
        {
            if (Interop.Libc.Bind(fd, a, address.Length) != 0)
            {
                throw ErrnoException.FromLastError("bind");
            }
        }
    }

    /// <summary>setsockopt(2) with an int value.</summary>
    public static unsafe void SetOption(SafeFdHandle fd, int level, int name, int value)
    {
        if (Interop.Libc.SetSockOpt(fd, level, name, &value, sizeof(int)) != 0)
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
                var n = Interop.Libc.SendTo(fd, d, (nuint)data.Length, 0, address.IsEmpty ? null : a, address.Length);
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
                var n = Interop.Libc.Recv(fd, b, (nuint)buffer.Length, 0);
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
