// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static CtdbPcmk.Linux.Interop.Libc;

namespace CtdbPcmk.Linux;

/// <summary>
/// Socket addresses for bind, connect and sendto, and read back from accept: struct sockaddr_in,
/// sockaddr_in6 and sockaddr_un in host layout (family in host order, port and address in network order).
/// </summary>
public static unsafe class SockAddr
{
    /// <summary>Big enough for an IPv4 or IPv6 address (sizeof(struct sockaddr_in6)).</summary>
    public const int InetMaxSize = 28;

    /// <summary>The longest Unix socket path in bytes (sun_path holds it and a NUL).</summary>
    public const int UnixPathMax = 107;

    /// <summary>
    /// Writes a sockaddr_in or sockaddr_in6 (the scope id from <paramref name="address"/>), and
    /// zeroes the rest of the first <see cref="InetMaxSize"/> bytes; returns the length to pass on.
    /// </summary>
    public static int WriteInet(IPAddress address, int port, Span<byte> dest)
    {
        dest[..InetMaxSize].Clear();
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var sin6 = new SockAddrIn6
            {
                sin6_family = AF_INET6,
                sin6_port = HostLayout.NetworkOrder((ushort)port),
                sin6_scope_id = (uint)address.ScopeId,
            };
            address.TryWriteBytes(new Span<byte>(sin6.sin6_addr, 16), out _);
            MemoryMarshal.Write(dest, in sin6);
            return Unsafe.SizeOf<SockAddrIn6>();
        }
        var sin = new SockAddrIn { sin_family = AF_INET, sin_port = HostLayout.NetworkOrder((ushort)port) };
        address.TryWriteBytes(new Span<byte>(sin.sin_addr, 4), out _);
        MemoryMarshal.Write(dest, in sin);
        return Unsafe.SizeOf<SockAddrIn>();
    }

    /// <summary>The IP address of a sockaddr_in or sockaddr_in6; IPv4-mapped IPv6 reads as IPv4; null for another family.</summary>
    public static IPAddress? ReadInet(ReadOnlySpan<byte> sockaddr)
    {
        if (sockaddr.Length < sizeof(ushort))
        {
            return null;
        }
        int family = MemoryMarshal.Read<ushort>(sockaddr);
        if (family == AF_INET && sockaddr.Length >= Unsafe.SizeOf<SockAddrIn>())
        {
            var sin = MemoryMarshal.Read<SockAddrIn>(sockaddr);
            return new IPAddress(new ReadOnlySpan<byte>(sin.sin_addr, 4));
        }
        if (family == AF_INET6 && sockaddr.Length >= Unsafe.SizeOf<SockAddrIn6>())
        {
            var sin6 = MemoryMarshal.Read<SockAddrIn6>(sockaddr);
            var v6 = new IPAddress(new ReadOnlySpan<byte>(sin6.sin6_addr, 16));
            return v6.IsIPv4MappedToIPv6 ? v6.MapToIPv4() : v6;
        }
        return null;
    }

    /// <summary>
    /// Writes a sockaddr_un for <paramref name="path"/> (at most <see cref="UnixPathMax"/> bytes)
    /// into <paramref name="dest"/> (at least sizeof(struct sockaddr_un), 110 bytes); returns the
    /// length to pass on: the family, the path and its NUL.
    /// </summary>
    public static int WriteUnix(ReadOnlySpan<byte> path, Span<byte> dest)
    {
        if (path.Length > UnixPathMax)
        {
            throw new ArgumentException("unix socket path too long", nameof(path));
        }
        var sun = new SockAddrUn { sun_family = AF_UNIX };
        path.CopyTo(new Span<byte>(sun.sun_path, UnixPathMax + 1));
        MemoryMarshal.Write(dest, in sun);
        return (int)Marshal.OffsetOf<SockAddrUn>(nameof(SockAddrUn.sun_path)) + path.Length + 1;
    }
}
