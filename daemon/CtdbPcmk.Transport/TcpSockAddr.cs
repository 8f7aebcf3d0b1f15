// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using System.Net.Sockets;
using CtdbPcmk.Linux;
using static CtdbPcmk.Linux.Interop.Libc;

namespace CtdbPcmk.Transport;

/// <summary>struct sockaddr_in / sockaddr_in6 for the node links (<see cref="SockAddr"/>).</summary>
internal static class TcpSockAddr
{
    /// <summary>Big enough for either family (sizeof(struct sockaddr_in6)).</summary>
    public const int MaxSize = SockAddr.InetMaxSize;

    public static int Family(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? AF_INET6 : AF_INET;

    /// <summary>Writes the address and port; returns the length to pass to bind/connect.</summary>
    public static int Write(IPAddress address, int port, Span<byte> dest) => SockAddr.WriteInet(address, port, dest);

    /// <summary>The IP address of a sockaddr from accept(); IPv4-mapped IPv6 reads as IPv4.</summary>
    public static IPAddress? Read(ReadOnlySpan<byte> sockaddr) => SockAddr.ReadInet(sockaddr);
}
