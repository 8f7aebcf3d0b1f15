// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux;

/// <summary>
/// Sends complete, caller-built IPv4 and IPv6 packets (header included) through raw sockets:
/// AF_INET/IPPROTO_RAW with IP_HDRINCL, and AF_INET6/IPPROTO_RAW, which Linux treats as
/// header-included. The kernel routes by the destination in the packet and keeps every byte
/// of an IPv6 packet; for IPv4 it rewrites only the header checksum (and a zero identification).
/// Needs CAP_NET_RAW.
/// </summary>
public sealed class RawIpSender : IDisposable
{
    private const int IpprotoIp = 0;
    private const int IpHdrincl = 3;
    private const int IpprotoRaw = 255;
    private SafeFdHandle? _ipv4;
    private SafeFdHandle? _ipv6;

    /// <summary>Sends one packet; the version nibble selects the socket. Returns the bytes sent.</summary>
    public int Send(ReadOnlySpan<byte> packet, uint ipv6ScopeId = 0)
    {
        if (packet.IsEmpty)
        {
            throw new ArgumentException("empty packet", nameof(packet));
        }

        Span<byte> address = stackalloc byte[28];
        address.Clear();
        switch (packet[0] >> 4)
        {
            case 4 when packet.Length >= 20:
                _ipv4 ??= OpenIPv4();
                // struct sockaddr_in: family (host order), port 0, address; the rest stays zero.
                MemoryMarshal.Write(address, (ushort)LinuxSocket.AfInet);
                packet[16..20].CopyTo(address[4..]);
                return LinuxSocket.SendTo(_ipv4, packet, address[..16]);
            case 6 when packet.Length >= 40:
                _ipv6 ??= LinuxSocket.Open(LinuxSocket.AfInet6, LinuxSocket.SockRaw, IpprotoRaw);
                // struct sockaddr_in6: family, port 0 (required for IPPROTO_RAW), flow info 0, address, scope id.
                MemoryMarshal.Write(address, (ushort)LinuxSocket.AfInet6);
                packet[24..40].CopyTo(address[8..]);
                MemoryMarshal.Write(address[24..], ipv6ScopeId);
                return LinuxSocket.SendTo(_ipv6, packet, address);
            default:
                throw new ArgumentException($"not an IPv4 or IPv6 packet (first byte 0x{packet[0]:x2}, {packet.Length} bytes)", nameof(packet));
        }
    }

    public void Dispose()
    {
        _ipv4?.Dispose();
        _ipv6?.Dispose();
    }

    private static SafeFdHandle OpenIPv4()
    {
        var fd = LinuxSocket.Open(LinuxSocket.AfInet, LinuxSocket.SockRaw, IpprotoRaw);
        try
        {
            // IPPROTO_RAW implies IP_HDRINCL on Linux; set it anyway so the intent does not rest on that.
            LinuxSocket.SetOption(fd, IpprotoIp, IpHdrincl, 1);
            return fd;
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }
}
