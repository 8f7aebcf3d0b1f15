// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using System.Net.Sockets;
using PacketDotNet;

#if CTDBPCMK_PACKETDOTNET
namespace CtdbPcmk.Packets;
#else
namespace CtdbPcmk.Packets.OnPacketDotNet;
#endif

/// <summary>
/// The tickle ACK and RST packets of agents/CtdbPcmk.Packets/TcpTickle.cs, same interface, built
/// with PacketDotNet's IPv4Packet, IPv6Packet and TcpPacket. For measurement only
/// (tests/bench/packetdotnet.sh).
/// </summary>
public static class TcpTickle
{
    public const int IPv4HeaderLength = 20;
    public const int IPv6HeaderLength = 40;
    public const int TcpHeaderLength = 20;
    public const int IPv4PacketLength = IPv4HeaderLength + TcpHeaderLength;
    public const int IPv6PacketLength = IPv6HeaderLength + TcpHeaderLength;
    public const ushort Window = 1234;
    public const byte IPv4Ttl = 255;
    public const byte IPv6HopLimit = 64;

    public static int PacketLength(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => IPv4PacketLength,
        AddressFamily.InterNetworkV6 => IPv6PacketLength,
        _ => throw new ArgumentException($"unsupported address family {family}", nameof(family)),
    };

    public static byte[] TickleAck(IPEndPoint source, IPEndPoint target, ushort ipv4Identification) =>
        Build(source, target, TcpControlBits.Ack, 0, 0, ipv4Identification);

    public static byte[] Reset(IPEndPoint source, IPEndPoint target, uint sequence, uint acknowledgement, ushort ipv4Identification) =>
        Build(source, target, TcpControlBits.Rst | TcpControlBits.Ack, sequence, acknowledgement, ipv4Identification);

    public static byte[] Build(IPEndPoint source, IPEndPoint target, TcpControlBits flags, uint sequence, uint acknowledgement, ushort ipv4Identification) =>
        Assemble(source, target, flags, sequence, acknowledgement, ipv4Identification);

    public static int Write(Span<byte> destination, IPEndPoint source, IPEndPoint target, TcpControlBits flags, uint sequence, uint acknowledgement, ushort ipv4Identification)
    {
        var packet = Assemble(source, target, flags, sequence, acknowledgement, ipv4Identification);
        if (destination.Length < packet.Length)
        {
            throw new ArgumentException($"destination holds {destination.Length} bytes, the packet needs {packet.Length}", nameof(destination));
        }
        packet.CopyTo(destination);
        return packet.Length;
    }

    private static byte[] Assemble(IPEndPoint source, IPEndPoint target, TcpControlBits flags, uint sequence, uint acknowledgement, ushort ipv4Identification)
    {
        var src = Normalize(source.Address);
        var dst = Normalize(target.Address);
        if (src.AddressFamily != dst.AddressFamily)
        {
            throw new ArgumentException($"{source} and {target} are of different address families");
        }
        _ = PacketLength(src.AddressFamily);
        var tcp = new TcpPacket(checked((ushort)source.Port), checked((ushort)target.Port))
        {
            SequenceNumber = sequence,
            AcknowledgmentNumber = acknowledgement,
            Flags = (ushort)flags,
            WindowSize = Window,
        };
        if (src.AddressFamily == AddressFamily.InterNetwork)
        {
            var ip = new IPv4Packet(src, dst) { Id = ipv4Identification, TimeToLive = IPv4Ttl, PayloadPacket = tcp };
            tcp.UpdateTcpChecksum();
            ip.UpdateIPChecksum();
            return ip.Bytes;
        }
        var ip6 = new IPv6Packet(src, dst) { HopLimit = IPv6HopLimit, PayloadPacket = tcp };
        tcp.UpdateTcpChecksum();
        return ip6.Bytes;
    }

    private static IPAddress Normalize(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
