// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace CtdbPcmk.Packets;

/// <summary>
/// Builds complete IPv4 and IPv6 packets carrying one bare TCP segment: the "tickle ACK"
/// (ACK, sequence 0, acknowledgement 0) and RST segments. A tickle sent from the server address
/// to a client makes the client answer with an ACK carrying its real sequence numbers; the new
/// owner of the address has no socket for it and answers that ACK with a RST, so the client
/// drops the dead connection at once instead of waiting for retransmission back-off.
/// </summary>
public static class TcpTickle
{
    public const int IPv4HeaderLength = 20;
    public const int IPv6HeaderLength = 40;
    public const int TcpHeaderLength = 20;
    public const int IPv4PacketLength = IPv4HeaderLength + TcpHeaderLength;
    public const int IPv6PacketLength = IPv6HeaderLength + TcpHeaderLength;

    /// <summary>Advertised window of every built segment (the value CTDB's tickles use).</summary>
    public const ushort Window = 1234;
    public const byte IPv4Ttl = 255;
    public const byte IPv6HopLimit = 64;
    private const byte ProtocolTcp = 6;

    /// <summary>Length of the packet <see cref="Write"/> produces for endpoints of this family.</summary>
    public static int PacketLength(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => IPv4PacketLength,
        AddressFamily.InterNetworkV6 => IPv6PacketLength,
        _ => throw new ArgumentException($"unsupported address family {family}", nameof(family)),
    };

    /// <summary>A tickle ACK (flags ACK, sequence 0, acknowledgement 0) from <paramref name="source"/> to <paramref name="target"/>.</summary>
    public static byte[] TickleAck(IPEndPoint source, IPEndPoint target, ushort ipv4Identification) =>
        Build(source, target, TcpControlBits.Ack, 0, 0, ipv4Identification);

    /// <summary>A RST+ACK segment with the given sequence and acknowledgement numbers.</summary>
    public static byte[] Reset(IPEndPoint source, IPEndPoint target, uint sequence, uint acknowledgement, ushort ipv4Identification) =>
        Build(source, target, TcpControlBits.Rst | TcpControlBits.Ack, sequence, acknowledgement, ipv4Identification);

    public static byte[] Build(IPEndPoint source, IPEndPoint target, TcpControlBits flags, uint sequence, uint acknowledgement, ushort ipv4Identification)
    {
        var buffer = new byte[PacketLength(Normalize(source.Address).AddressFamily)];
        Write(buffer, source, target, flags, sequence, acknowledgement, ipv4Identification);
        return buffer;
    }

    /// <summary>
    /// Writes the IP header and the TCP header with both checksums filled in; returns the packet length.
    /// IPv4-mapped IPv6 addresses are written as IPv4. The IPv4 identification should be non-zero:
    /// the kernel replaces a zero identification on raw sockets, and the packet would then differ
    /// from what was built.
    /// </summary>
    public static int Write(Span<byte> destination, IPEndPoint source, IPEndPoint target, TcpControlBits flags, uint sequence, uint acknowledgement, ushort ipv4Identification)
    {
        var src = Normalize(source.Address);
        var dst = Normalize(target.Address);
        if (src.AddressFamily != dst.AddressFamily)
        {
            throw new ArgumentException($"{source} and {target} are of different address families");
        }

        var length = PacketLength(src.AddressFamily);
        if (destination.Length < length)
        {
            throw new ArgumentException($"destination holds {destination.Length} bytes, the packet needs {length}", nameof(destination));
        }

        var packet = destination[..length];
        packet.Clear();
        var ipHeaderLength = src.AddressFamily == AddressFamily.InterNetwork ? IPv4HeaderLength : IPv6HeaderLength;
        var ip = packet[..ipHeaderLength];
        var tcp = packet[ipHeaderLength..];

        uint pseudo;
        if (src.AddressFamily == AddressFamily.InterNetwork)
        {
            ip[0] = 0x45; // version 4, header length 5 words
            BinaryPrimitives.WriteUInt16BigEndian(ip[2..], IPv4PacketLength);
            BinaryPrimitives.WriteUInt16BigEndian(ip[4..], ipv4Identification);
            ip[8] = IPv4Ttl;
            ip[9] = ProtocolTcp;
            src.TryWriteBytes(ip[12..16], out _);
            dst.TryWriteBytes(ip[16..20], out _);
            BinaryPrimitives.WriteUInt16BigEndian(ip[10..], InternetChecksum.Compute(ip));
            // Pseudo header: source, destination, zero, protocol, TCP length.
            pseudo = InternetChecksum.Add(0, ip[12..20]) + ProtocolTcp + TcpHeaderLength;
        }
        else
        {
            ip[0] = 0x60; // version 6, traffic class 0, flow label 0
            BinaryPrimitives.WriteUInt16BigEndian(ip[4..], TcpHeaderLength);
            ip[6] = ProtocolTcp;
            ip[7] = IPv6HopLimit;
            src.TryWriteBytes(ip[8..24], out _);
            dst.TryWriteBytes(ip[24..40], out _);
            // Pseudo header: source, destination, 32-bit TCP length, 3 zero bytes, next header.
            pseudo = InternetChecksum.Add(0, ip[8..40]) + ProtocolTcp + TcpHeaderLength;
        }

        BinaryPrimitives.WriteUInt16BigEndian(tcp, checked((ushort)source.Port));
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], checked((ushort)target.Port));
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], sequence);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[8..], acknowledgement);
        tcp[12] = (TcpHeaderLength / 4) << 4;
        tcp[13] = (byte)flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], Window);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[16..], InternetChecksum.Finish(InternetChecksum.Add(pseudo, tcp)));
        return length;
    }

    private static IPAddress Normalize(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
