// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using CtdbPcmk.Packets;
#if SEND_SHARPPCAP
using SharpPcap;
using SharpPcap.LibPcap;
#else
using System.Globalization;
using CtdbPcmk.Linux;
#endif

namespace CtdbPcmk.Bench.Packets;

/// <summary>
/// Sends one gratuitous ARP on an interface: through an AF_PACKET socket as the agents do
/// (CtdbPcmk.Linux.PacketSocket), or with -p:PacketSend=SharpPcap through SharpPcap, which
/// loads libpcap and finds the interface among all of libpcap's devices.
/// </summary>
internal static class Send
{
    public static int Garp(string interfaceName)
    {
        var mac = Convert.FromHexString(File.ReadAllText($"/sys/class/net/{interfaceName}/address").Trim().Replace(":", "", StringComparison.Ordinal));
        Span<byte> frame = stackalloc byte[GratuitousArp.Length];
        var length = GratuitousArp.Write(frame, mac, IPAddress.Parse("192.0.2.1"));
#if SEND_SHARPPCAP
        using var device = LibPcapLiveDeviceList.Instance.First(d => d.Name == interfaceName);
        device.Open(new DeviceConfiguration());
        device.SendPacket(frame[..length]);
#else
        var index = int.Parse(File.ReadAllText($"/sys/class/net/{interfaceName}/ifindex").Trim(), CultureInfo.InvariantCulture);
        using var socket = new PacketSocket(index, Ethernet.TypeArp);
        socket.Send(frame[..length]);
#endif
        return 0;
    }
}
