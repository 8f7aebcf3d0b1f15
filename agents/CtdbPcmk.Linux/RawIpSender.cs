// SPDX-License-Identifier: GPL-3.0-or-later
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
    private const int IpprotoIp = Interop.Libc.IPPROTO_IP;
    private const int IpHdrincl = Interop.Libc.IP_HDRINCL;
    private const int IpprotoRaw = Interop.Libc.IPPROTO_RAW;
    private const int Ipv4HeaderLength = 20;
    private const int Ipv4Destination = 16;
    private const int Ipv6HeaderLength = 40;
    private const int Ipv6Destination = 24;
    private SafeFdHandle? _ipv4;
    private SafeFdHandle? _ipv6;

    /// <summary>Sends one packet; the version nibble selects the socket. Returns the bytes sent.</summary>
    public unsafe int Send(ReadOnlySpan<byte> packet, uint ipv6ScopeId = 0)
    {
        if (packet.IsEmpty)
        {
            throw new ArgumentException("empty packet", nameof(packet));
        }

        switch (packet[0] >> 4)
        {
            case 4 when packet.Length >= Ipv4HeaderLength:
                _ipv4 ??= OpenIPv4();
                // The destination address of the IPv4 header; the port stays 0.
                var sin = new Interop.Libc.SockAddrIn { sin_family = Interop.Libc.AF_INET };
                packet[Ipv4Destination..(Ipv4Destination + 4)].CopyTo(new Span<byte>(sin.sin_addr, 4));
                return LinuxSocket.SendTo(_ipv4, packet, HostLayout.AsBytes(in sin));
            case 6 when packet.Length >= Ipv6HeaderLength:
                _ipv6 ??= LinuxSocket.Open(LinuxSocket.AfInet6, LinuxSocket.SockRaw, IpprotoRaw);
                // The destination address of the IPv6 header; port 0 (required for IPPROTO_RAW), flow info 0.
                var sin6 = new Interop.Libc.SockAddrIn6 { sin6_family = Interop.Libc.AF_INET6, sin6_scope_id = ipv6ScopeId };
                packet[Ipv6Destination..(Ipv6Destination + 16)].CopyTo(new Span<byte>(sin6.sin6_addr, 16));
                return LinuxSocket.SendTo(_ipv6, packet, HostLayout.AsBytes(in sin6));
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
