// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace CtdbPcmk.Packets;

/// <summary>
/// Gratuitous ARP frames announcing that an IPv4 address now lives at a MAC address: a broadcast
/// ARP packet whose sender and target protocol addresses are both the announced address
/// (RFC 826 layout, RFC 5227 announcement). A request leaves the target hardware address zero; a
/// reply carries the sender's MAC there too (what some switches require).
/// </summary>
public static class GratuitousArp
{
    /// <summary>Frame length: Ethernet header 14 + ARP 28 (no padding; the NIC pads to 60).</summary>
    public const int Length = Ethernet.HeaderLength + 28;

    /// <summary>ARP operation request.</summary>
    public const ushort OpRequest = 1;
    /// <summary>ARP operation reply.</summary>
    public const ushort OpReply = 2;

    /// <summary>Writes the frame and returns its length.</summary>
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
        var frame = destination[..Length];
        var offset = Ethernet.Write(frame, Ethernet.Broadcast, mac, Ethernet.TypeArp);
        var arp = frame[offset..];
        BinaryPrimitives.WriteUInt16BigEndian(arp, 1);                    // hardware type: Ethernet
        BinaryPrimitives.WriteUInt16BigEndian(arp[2..], Ethernet.TypeIPv4); // protocol type
        arp[4] = Ethernet.AddressLength;                                   // hardware address length
        arp[5] = 4;                                                        // protocol address length
        BinaryPrimitives.WriteUInt16BigEndian(arp[6..], operation);
        mac.CopyTo(arp[8..]);                                              // sender hardware address
        address.TryWriteBytes(arp[14..18], out _);                         // sender protocol address
        if (operation == OpReply)
        {
            mac.CopyTo(arp[18..]);
        }
        else
        {
            arp[18..24].Clear();
        }
        address.TryWriteBytes(arp[24..28], out _);                         // target protocol address
        return Length;
    }
}
