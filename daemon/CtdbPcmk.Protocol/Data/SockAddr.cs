// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace CtdbPcmk.Protocol;

/// <summary>
/// ctdb_sock_addr (28 bytes): a raw Linux sockaddr_in or sockaddr_in6. The family is host
/// order (little-endian), port and address are network order. IPv4 leaves 12 trailing bytes
/// that senders do not always initialise, so they are ignored on read and zeroed on write.
/// The IPv6 flow label is not represented (written as 0).
/// </summary>
public static class SockAddr
{
    public const int Size = 28;
    public const ushort FamilyInet = 2;
    public const ushort FamilyInet6 = 10;

    public static int Write(Span<byte> buffer, IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var dest = buffer[..Size];
        dest.Clear();
        BinaryPrimitives.WriteUInt16BigEndian(dest[2..], (ushort)endPoint.Port);
        switch (endPoint.AddressFamily)
        {
            case AddressFamily.InterNetwork:
                BinaryPrimitives.WriteUInt16LittleEndian(dest, FamilyInet);
                endPoint.Address.TryWriteBytes(dest.Slice(4, 4), out _);
                break;
            case AddressFamily.InterNetworkV6:
                BinaryPrimitives.WriteUInt16LittleEndian(dest, FamilyInet6);
                endPoint.Address.TryWriteBytes(dest.Slice(8, 16), out _);
                BinaryPrimitives.WriteUInt32LittleEndian(dest[24..], (uint)endPoint.Address.ScopeId);
                break;
            default:
                throw new ArgumentException($"address family {endPoint.AddressFamily} has no ctdb_sock_addr form", nameof(endPoint));
        }
        return Size;
    }

    public static IPEndPoint Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, Size, "ctdb_sock_addr");
        ushort family = BinaryPrimitives.ReadUInt16LittleEndian(data);
        int port = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
        switch (family)
        {
            case FamilyInet:
                return new IPEndPoint(new IPAddress(data.Slice(4, 4)), port);
            case FamilyInet6:
                uint scope = BinaryPrimitives.ReadUInt32LittleEndian(data[24..]);
                return new IPEndPoint(new IPAddress(data.Slice(8, 16), scope), port);
            default:
                return ProtocolException.Throw<IPEndPoint>($"ctdb_sock_addr with unknown family {family}");
        }
    }
}
