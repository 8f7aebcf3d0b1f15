// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;

namespace CtdbPcmk.Vip;

/// <summary>Prefix arithmetic on IPv4/IPv6 addresses.</summary>
internal static class Subnet
{
    /// <summary>True when <paramref name="address"/> lies in network/prefix (same family only).</summary>
    public static bool Contains(IPAddress network, int prefix, IPAddress address)
    {
        if (network.AddressFamily != address.AddressFamily)
        {
            return false;
        }
        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        network.TryWriteBytes(a, out var n);
        address.TryWriteBytes(b, out _);
        if (prefix < 0 || prefix > n * 8)
        {
            return false;
        }
        var full = prefix / 8;
        if (!a[..full].SequenceEqual(b[..full]))
        {
            return false;
        }
        var rest = prefix % 8;
        if (rest == 0)
        {
            return true;
        }
        var mask = (byte)(0xFF << (8 - rest));
        return (a[full] & mask) == (b[full] & mask);
    }

    /// <summary>The IPv4 broadcast of address/prefix (host bits set); null for /31 and /32.</summary>
    public static IPAddress? Broadcast(IPAddress address, int prefix)
    {
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || prefix >= 31)
        {
            return null;
        }
        var bytes = address.GetAddressBytes();
        var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes) | (uint.MaxValue >> prefix);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }
}
