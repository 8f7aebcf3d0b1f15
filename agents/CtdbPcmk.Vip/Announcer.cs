// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using CtdbPcmk.Linux;
using CtdbPcmk.Linux.Netlink;
using CtdbPcmk.Ocf;
using CtdbPcmk.Packets;

namespace CtdbPcmk.Vip;

/// <summary>
/// Tells the segment that the address moved: gratuitous ARP requests for IPv4, unsolicited
/// neighbour advertisements for IPv6, <c>count</c> of them <c>interval</c> ms apart, written to
/// a packet socket on the interface. Interfaces without Ethernet addressing are skipped.
/// </summary>
internal static class Announcer
{
    public static int Announce(LinkInfo link, IPAddress address, int count, int intervalMs, OcfLog log)
    {
        if (count == 0)
        {
            return 0;
        }
        if (link.IsLoopback || (link.Flags & Rtnl.IffNoArp) != 0 || link.HardwareType != Rtnl.ArphrdEther || link.Mac.Length != Ethernet.AddressLength)
        {
            log.Info($"{link.Name} does not use ARP/neighbour discovery: no announcement sent");
            return 0;
        }
        var isV6 = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        Span<byte> frame = stackalloc byte[NeighborAdvertisement.Length];
        var length = isV6
            ? NeighborAdvertisement.Write(frame, link.Mac, address)
            : GratuitousArp.Write(frame, link.Mac, address);
        using var socket = new PacketSocket(link.Index, isV6 ? Ethernet.TypeIPv6 : Ethernet.TypeArp);
        for (var i = 0; i < count; i++)
        {
            if (i > 0 && intervalMs > 0)
            {
                Thread.Sleep(intervalMs);
            }
            socket.Send(frame[..length]);
        }
        log.Info($"sent {count} {(isV6 ? "unsolicited neighbour advertisements" : "gratuitous ARPs")} for {address} on {link.Name}");
        return count;
    }
}
