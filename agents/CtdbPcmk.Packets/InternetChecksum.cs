// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Packets;

/// <summary>The 16-bit ones' complement checksum of RFC 1071, as used by IPv4, TCP and ICMPv6.</summary>
public static class InternetChecksum
{
    /// <summary>Adds <paramref name="data"/> (big-endian 16-bit words, odd tail padded with zero) to a running sum.</summary>
    public static uint Add(uint sum, ReadOnlySpan<byte> data)
    {
        var i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if (i < data.Length)
        {
            sum += (uint)data[i] << 8;
        }

        // Fold early so that very long inputs can never overflow the 32-bit accumulator.
        return (sum & 0xFFFF) + (sum >> 16);
    }

    /// <summary>Folds a running sum and returns its ones' complement, ready to be stored in a header.</summary>
    public static ushort Finish(uint sum)
    {
        while ((sum >> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }

    /// <summary>The checksum of one contiguous block.</summary>
    public static ushort Compute(ReadOnlySpan<byte> data) => Finish(Add(0, data));

    /// <summary>True when a block that already contains its checksum field sums to all ones.</summary>
    public static bool Verify(ReadOnlySpan<byte> data) => Compute(data) == 0;
}
