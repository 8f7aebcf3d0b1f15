// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using CtdbPcmk.Packets;

namespace CtdbPcmk.Bench.Packets;

/// <summary>The six packets, with the addresses the agents' tests use.</summary>
internal static class Frames
{
    public static readonly string[] Kinds = ["garp", "na", "ack4", "ack6", "rst4", "rst6"];

    private static readonly byte[] s_mac = [0x02, 0x00, 0x00, 0xaa, 0xbb, 0xcc];
    private static readonly IPAddress s_address4 = IPAddress.Parse("192.0.2.10");
    private static readonly IPAddress s_address6 = IPAddress.Parse("2001:db8::10");
    private static readonly IPEndPoint s_server4 = new(s_address4, 445);
    private static readonly IPEndPoint s_client4 = new(IPAddress.Parse("192.0.2.99"), 50123);
    private static readonly IPEndPoint s_server6 = new(s_address6, 2049);
    private static readonly IPEndPoint s_client6 = new(IPAddress.Parse("2001:db8::99"), 812);

    /// <summary>Writes one packet of the kind; returns its length.</summary>
    public static int Write(string kind, Span<byte> destination, ushort identification) => kind switch
    {
        "garp" => GratuitousArp.Write(destination, s_mac, s_address4),
        "na" => NeighborAdvertisement.Write(destination, s_mac, s_address6),
        "ack4" => TcpTickle.Write(destination, s_server4, s_client4, TcpControlBits.Ack, 0, 0, identification),
        "ack6" => TcpTickle.Write(destination, s_server6, s_client6, TcpControlBits.Ack, 0, 0, identification),
        "rst4" => TcpTickle.Write(destination, s_server4, s_client4, TcpControlBits.Rst | TcpControlBits.Ack, 0x12345678, 0x9abcdef0, identification),
        "rst6" => TcpTickle.Write(destination, s_server6, s_client6, TcpControlBits.Rst | TcpControlBits.Ack, 0x12345678, 0x9abcdef0, identification),
        _ => throw new ArgumentException($"unknown packet {kind}", nameof(kind)),
    };
}
