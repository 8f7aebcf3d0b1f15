// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace CtdbPcmk.Conntrack.Tests;

/// <summary>Builds ctnetlink event messages as the kernel lays them out (nested attributes, ports big-endian).</summary>
internal static class EventBytes
{
    public const int New = 0;
    public const int Update = 1;
    public const int Destroy = 2;

    public static byte[] Message(int kind, IPEndPoint client, IPEndPoint server, byte protocol = 6, byte tcpState = 1)
    {
        bool v6 = client.AddressFamily == AddressFamily.InterNetworkV6;
        var ip = Attr(1 | 0x8000, [.. Attr(v6 ? 3 : 1, client.Address.GetAddressBytes()), .. Attr(v6 ? 4 : 2, server.Address.GetAddressBytes())]);
        var proto = Attr(2 | 0x8000, [.. Attr(1, [protocol]), .. Attr(2, Be16(client.Port)), .. Attr(3, Be16(server.Port))]);
        var orig = Attr(1 | 0x8000, [.. ip, .. proto]);
        var protoinfo = Attr(4 | 0x8000, Attr(1 | 0x8000, Attr(1, [tcpState])));
        byte[] body = [(byte)(v6 ? 10 : 2), 0, 0, 0, .. orig, .. protoinfo];
        var message = new byte[16 + body.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)message.Length);
        ushort type = (ushort)((1 << 8) | (kind == Destroy ? 2 : 0));
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(6), (ushort)(kind == New ? 0x600 : 0));
        body.CopyTo(message, 16);
        return message;
    }

    private static byte[] Be16(int port)
    {
        var b = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, (ushort)port);
        return b;
    }

    private static byte[] Attr(int type, byte[] payload)
    {
        int length = 4 + payload.Length;
        var a = new byte[(length + 3) & ~3];
        BinaryPrimitives.WriteUInt16LittleEndian(a, (ushort)length);
        BinaryPrimitives.WriteUInt16LittleEndian(a.AsSpan(2), (ushort)type);
        payload.CopyTo(a, 4);
        return a;
    }
}
