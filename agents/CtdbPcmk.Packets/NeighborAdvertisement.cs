// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace CtdbPcmk.Packets;

/// <summary>
/// Unsolicited IPv6 neighbour advertisement (RFC 4861 4.4, 7.2.6) for an address that moved:
/// sent from the address to all-nodes (ff02::1), hop limit 255, Override flag set, with the
/// target link-layer address option carrying the new MAC.
/// </summary>
public static class NeighborAdvertisement
{
    /// <summary>ICMPv6 message length: header 8 + target 16 + option 8.</summary>
    public const int IcmpLength = 32;
    /// <summary>Frame length: Ethernet 14 + IPv6 40 + ICMPv6 32.</summary>
    public const int Length = Ethernet.HeaderLength + 40 + IcmpLength;

    /// <summary>ICMPv6 type of a neighbour advertisement.</summary>
    public const byte IcmpType = 136;

    /// <summary>The all-nodes multicast group ff02::1.</summary>
    public static IPAddress AllNodes { get; } = IPAddress.Parse("ff02::1");

    /// <summary>Writes the frame and returns its length.</summary>
    /// <param name="destination">At least <see cref="Length"/> bytes.</param>
    /// <param name="mac">The interface's MAC address.</param>
    /// <param name="target">The IPv6 address being announced (also the source address).</param>
    /// <param name="router">Sets the Router flag (for a host that forwards).</param>
    public static int Write(Span<byte> destination, ReadOnlySpan<byte> mac, IPAddress target, bool router = false)
    {
        if (target.AddressFamily != AddressFamily.InterNetworkV6)
        {
            throw new ArgumentException("a neighbour advertisement announces an IPv6 address", nameof(target));
        }
        var frame = destination[..Length];
        Span<byte> group = stackalloc byte[16];
        AllNodes.TryWriteBytes(group, out _);
        Span<byte> to = stackalloc byte[Ethernet.AddressLength];
        Ethernet.MulticastMac(group, to);
        var offset = Ethernet.Write(frame, to, mac, Ethernet.TypeIPv6);

        var ip = frame.Slice(offset, 40);
        BinaryPrimitives.WriteUInt32BigEndian(ip, 0x6000_0000);  // version 6, class 0, flow 0
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], IcmpLength);
        ip[6] = 58;                                                // next header: ICMPv6
        ip[7] = 255;                                               // hop limit (RFC 4861 requires 255)
        target.TryWriteBytes(ip[8..24], out _);
        group.CopyTo(ip[24..40]);

        var icmp = frame.Slice(offset + 40, IcmpLength);
        icmp[0] = IcmpType;
        icmp[1] = 0;                                               // code
        icmp[2] = 0;                                               // checksum, filled below
        icmp[3] = 0;
        // Flags: R (0x80) router, S (0x40) solicited, O (0x20) override; then reserved.
        icmp[4] = (byte)(0x20 | (router ? 0x80 : 0));
        icmp[5..8].Clear();
        target.TryWriteBytes(icmp[8..24], out _);
        icmp[24] = 2;                                              // option: target link-layer address
        icmp[25] = 1;                                              // option length in units of 8 bytes
        mac.CopyTo(icmp[26..32]);

        var sum = InternetChecksum.PseudoHeader(target, AllNodes, 58, IcmpLength);
        var checksum = InternetChecksum.Finish(InternetChecksum.Add(sum, icmp));
        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], checksum);
        return Length;
    }
}
