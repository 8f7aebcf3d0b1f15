// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Packets;

/// <summary>Ethernet II header (14 bytes): destination, source, EtherType.</summary>
public static class Ethernet
{
    /// <summary>Header length.</summary>
    public const int HeaderLength = 14;
    /// <summary>Length of a MAC address.</summary>
    public const int AddressLength = 6;
    /// <summary>EtherType IPv4.</summary>
    public const ushort TypeIPv4 = 0x0800;
    /// <summary>EtherType ARP.</summary>
    public const ushort TypeArp = 0x0806;
    /// <summary>EtherType IPv6.</summary>
    public const ushort TypeIPv6 = 0x86DD;

    /// <summary>The broadcast address ff:ff:ff:ff:ff:ff.</summary>
    public static ReadOnlySpan<byte> Broadcast => [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];

    /// <summary>Writes the header and returns its length.</summary>
    public static int Write(Span<byte> destination, ReadOnlySpan<byte> to, ReadOnlySpan<byte> from, ushort etherType)
    {
        CheckMac(to);
        CheckMac(from);
        to.CopyTo(destination);
        from.CopyTo(destination[AddressLength..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(2 * AddressLength)..], etherType);
        return HeaderLength;
    }

    /// <summary>Throws unless the span is a 6-byte MAC address.</summary>
    public static void CheckMac(ReadOnlySpan<byte> mac)
    {
        if (mac.Length != AddressLength)
        {
            throw new ArgumentException("a MAC address has 6 bytes", nameof(mac));
        }
    }

    /// <summary>The IPv6 multicast MAC 33:33:xx:xx:xx:xx for a multicast group (RFC 2464).</summary>
    public static void MulticastMac(ReadOnlySpan<byte> ipv6Group, Span<byte> mac)
    {
        mac[0] = 0x33;
        mac[1] = 0x33;
        ipv6Group[12..16].CopyTo(mac[2..]);
    }
}
