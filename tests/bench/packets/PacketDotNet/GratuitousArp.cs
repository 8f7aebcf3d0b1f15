// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using PacketDotNet;

#if CTDBPCMK_PACKETDOTNET
namespace CtdbPcmk.Packets;
#else
namespace CtdbPcmk.Packets.OnPacketDotNet;
#endif

/// <summary>
/// The gratuitous ARP of agents/CtdbPcmk.Packets/GratuitousArp.cs, same interface, built with
/// PacketDotNet's ArpPacket and EthernetPacket. For measurement only (tests/bench/packetdotnet.sh).
/// </summary>
public static class GratuitousArp
{
    public const int Length = Ethernet.HeaderLength + 28;
    public const ushort OpRequest = 1;
    public const ushort OpReply = 2;

    private static readonly PhysicalAddress s_broadcast = new([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
    private static readonly PhysicalAddress s_none = new(new byte[Ethernet.AddressLength]);

    public static int Write(Span<byte> destination, ReadOnlySpan<byte> mac, IPAddress address, ushort operation = OpRequest)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException("gratuitous ARP announces an IPv4 address", nameof(address));
        }
        if (operation is not (OpRequest or OpReply))
        {
            throw new ArgumentOutOfRangeException(nameof(operation));
        }
        Ethernet.CheckMac(mac);
        var sender = new PhysicalAddress(mac.ToArray());
        var reply = operation == OpReply;
        var arp = new ArpPacket(reply ? ArpOperation.Response : ArpOperation.Request, reply ? sender : s_none, address, sender, address);
        var frame = new EthernetPacket(sender, s_broadcast, EthernetType.Arp) { PayloadPacket = arp }.Bytes;
        frame.CopyTo(destination);
        return frame.Length;
    }
}
