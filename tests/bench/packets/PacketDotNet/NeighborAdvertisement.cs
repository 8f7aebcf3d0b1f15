// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using PacketDotNet;
using PacketDotNet.Ndp;
using PacketDotNet.Utils;

#if CTDBPCMK_PACKETDOTNET
namespace CtdbPcmk.Packets;
#else
namespace CtdbPcmk.Packets.OnPacketDotNet;
#endif

/// <summary>
/// The unsolicited neighbour advertisement of agents/CtdbPcmk.Packets/NeighborAdvertisement.cs,
/// same interface, built with PacketDotNet. For measurement only (tests/bench/packetdotnet.sh).
/// </summary>
/// <remarks>
/// PacketDotNet 1.4.8 has no constructor for an ICMPv6 or NDP packet from fields, and an
/// IcmpV6Packet whose payload is an NDP packet serialises its 4-byte header twice (the NDP
/// packet's bytes start at the ICMPv6 header) and computes its checksum over those bytes. So the
/// NDP fields are set in the ICMPv6 message's own buffer, that buffer is the IPv6 payload, and
/// the checksum is filled in place through a parse of the finished frame.
/// </remarks>
public static class NeighborAdvertisement
{
    public const int IcmpLength = 32;
    public const int Length = Ethernet.HeaderLength + 40 + IcmpLength;
    public const byte IcmpType = 136;

    public static IPAddress AllNodes { get; } = IPAddress.Parse("ff02::1");

    private static readonly PhysicalAddress s_allNodesMac = new([0x33, 0x33, 0, 0, 0, 1]);

    public static int Write(Span<byte> destination, ReadOnlySpan<byte> mac, IPAddress target, bool router = false)
    {
        if (target.AddressFamily != AddressFamily.InterNetworkV6)
        {
            throw new ArgumentException("a neighbour advertisement announces an IPv6 address", nameof(target));
        }
        Ethernet.CheckMac(mac);
        var source = new PhysicalAddress(mac.ToArray());
        var icmp = new byte[IcmpLength];
        var option = new NdpLinkLayerAddressOption(new byte[8], 0, 8)
        {
            Type = OptionTypes.TargetLinkLayerAddress,
            Length = 1,
            LinkLayerAddress = source,
        };
        _ = new NdpNeighborAdvertisementPacket(new ByteArraySegment(icmp))
        {
            Router = router,
            Override = true,
            TargetAddress = target,
            OptionsCollection = [option],
        };
        _ = new IcmpV6Packet(new ByteArraySegment(icmp)) { Type = IcmpV6Type.NeighborAdvertisement };
        var ip = new IPv6Packet(target, AllNodes)
        {
            HopLimit = 255,
            NextHeader = PacketDotNet.ProtocolType.IcmpV6,
            PayloadData = icmp,
            PayloadLength = IcmpLength,
        };
        var frame = new EthernetPacket(source, s_allNodesMac, EthernetType.IPv6) { PayloadPacket = ip }.Bytes;
        Packet.ParsePacket(LinkLayers.Ethernet, frame).Extract<IcmpV6Packet>().UpdateIcmpChecksum();
        frame.CopyTo(destination);
        return frame.Length;
    }
}
