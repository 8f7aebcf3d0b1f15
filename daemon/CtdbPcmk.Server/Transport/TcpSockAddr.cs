// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using static CtdbPcmk.Linux.Interop.Libc;

namespace CtdbPcmk.Server.Transport;

/// <summary>struct sockaddr_in / sockaddr_in6 for the node links, built and read by hand.</summary>
internal static class TcpSockAddr
{
    /// <summary>Big enough for either family (sizeof(struct sockaddr_in6) is 28).</summary>
    public const int MaxSize = 28;

    public static int Family(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? AF_INET6 : AF_INET;

    /// <summary>Writes the address and port; returns the length to pass to bind/connect.</summary>
    public static int Write(IPAddress address, int port, Span<byte> dest)
    {
        dest[..MaxSize].Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(dest, (ushort)Family(address));
        BinaryPrimitives.WriteUInt16BigEndian(dest[2..], (ushort)port);
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            address.TryWriteBytes(dest[8..24], out _);
            BinaryPrimitives.WriteUInt32LittleEndian(dest[24..], (uint)address.ScopeId);
            return 28;
        }
        address.TryWriteBytes(dest[4..8], out _);
        return 16;
    }

    /// <summary>The IP address of a sockaddr from accept(); IPv4-mapped IPv6 reads as IPv4.</summary>
    public static IPAddress? Read(ReadOnlySpan<byte> sockaddr)
    {
        if (sockaddr.Length < 2)
        {
            return null;
        }
        int family = BinaryPrimitives.ReadUInt16LittleEndian(sockaddr);
        if (family == AF_INET && sockaddr.Length >= 8)
        {
            return new IPAddress(sockaddr[4..8]);
        }
        if (family == AF_INET6 && sockaddr.Length >= 24)
        {
            var v6 = new IPAddress(sockaddr[8..24]);
            return v6.IsIPv4MappedToIPv6 ? v6.MapToIPv4() : v6;
        }
        return null;
    }
}
