// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace CtdbPcmk.Packets;

/// <summary>
/// The ones'-complement Internet checksum (RFC 1071) and the IPv4/IPv6 pseudo-headers that TCP,
/// UDP and ICMPv6 checksums cover.
/// </summary>
public static class InternetChecksum
{
    /// <summary>Adds 16-bit big-endian words of <paramref name="data"/> to a running 32-bit sum.</summary>
    public static uint Add(uint sum, ReadOnlySpan<byte> data)
    {
        var i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }
        if (i < data.Length)
        {
            // An odd trailing byte is padded with a zero byte.
            sum += (uint)(data[i] << 8);
        }
        return sum;
    }

    /// <summary>Folds a running sum to 16 bits and complements it.</summary>
    public static ushort Finish(uint sum)
    {
        while ((sum >> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (ushort)~sum;
    }

    /// <summary>Checksum of one buffer.</summary>
    public static ushort Compute(ReadOnlySpan<byte> data) => Finish(Add(0, data));

    /// <summary>
    /// Running sum of the pseudo-header for an upper-layer packet of <paramref name="length"/>
    /// bytes with protocol <paramref name="protocol"/> (6 TCP, 17 UDP, 58 ICMPv6). Both addresses
    /// must be of the same family.
    /// </summary>
    public static uint PseudoHeader(IPAddress source, IPAddress destination, int protocol, int length)
    {
        if (source.AddressFamily != destination.AddressFamily)
        {
            throw new ArgumentException("source and destination address families differ", nameof(destination));
        }
        Span<byte> address = stackalloc byte[16];
        uint sum = 0;
        source.TryWriteBytes(address, out var n);
        sum = Add(sum, address[..n]);
        destination.TryWriteBytes(address, out n);
        sum = Add(sum, address[..n]);
        if (source.AddressFamily == AddressFamily.InterNetworkV6)
        {
            // RFC 8200 8.1: 32-bit upper-layer length, 24 zero bits, next header.
            sum += (uint)(length >> 16) + (uint)(length & 0xFFFF);
        }
        else
        {
            // RFC 793: zero byte, protocol, 16-bit length.
            sum += (uint)length;
        }
        sum += (uint)protocol;
        return sum;
    }
}
