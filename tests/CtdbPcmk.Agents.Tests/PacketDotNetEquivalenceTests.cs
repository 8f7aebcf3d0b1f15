// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using System.Net.Sockets;
using CtdbPcmk.Packets;
using PacketDotNet;
using Pdn = CtdbPcmk.Packets.OnPacketDotNet;

namespace CtdbPcmk.Agents.Tests;

/// <summary>
/// Our packet builders (agents/CtdbPcmk.Packets) and the same builders on PacketDotNet
/// (tests/bench/packets/PacketDotNet, measured by tests/bench/packetdotnet.sh) write the same
/// bytes, checksums included; and PacketDotNet's parser reads our frames as what they claim to be.
/// </summary>
public sealed class PacketDotNetEquivalenceTests
{
    private const int Cases = 200;

    [Fact]
    public void Gratuitous_arp_requests_and_replies_are_byte_identical()
    {
        var random = new Random(1);
        for (var i = 0; i < Cases; i++)
        {
            var mac = Mac(random);
            var address = new IPAddress(random.NextInt64(1, uint.MaxValue));
            var operation = i % 2 == 0 ? GratuitousArp.OpRequest : GratuitousArp.OpReply;
            Assert.Equal(
                Frame(GratuitousArp.Length, b => GratuitousArp.Write(b, mac, address, operation)),
                Frame(GratuitousArp.Length, b => Pdn.GratuitousArp.Write(b, mac, address, operation)));
        }
    }

    [Fact]
    public void Neighbour_advertisements_are_byte_identical()
    {
        var random = new Random(2);
        for (var i = 0; i < Cases; i++)
        {
            var mac = Mac(random);
            var target = Address6(random);
            var router = i % 3 == 0;
            Assert.Equal(
                Frame(NeighborAdvertisement.Length, b => NeighborAdvertisement.Write(b, mac, target, router)),
                Frame(NeighborAdvertisement.Length, b => Pdn.NeighborAdvertisement.Write(b, mac, target, router)));
        }
    }

    [Theory]
    [InlineData(AddressFamily.InterNetwork)]
    [InlineData(AddressFamily.InterNetworkV6)]
    public void Tickle_acks_and_resets_are_byte_identical(AddressFamily family)
    {
        var random = new Random((int)family);
        for (var i = 0; i < Cases; i++)
        {
            var source = new IPEndPoint(family == AddressFamily.InterNetwork ? Address4(random) : Address6(random), random.Next(1, 65536));
            var target = new IPEndPoint(family == AddressFamily.InterNetwork ? Address4(random) : Address6(random), random.Next(1, 65536));
            var id = (ushort)random.Next(1, 65536);
            var sequence = (uint)random.NextInt64(0, 1L << 32);
            var acknowledgement = (uint)random.NextInt64(0, 1L << 32);
            Assert.Equal(TcpTickle.TickleAck(source, target, id), Pdn.TcpTickle.TickleAck(source, target, id));
            Assert.Equal(TcpTickle.Reset(source, target, sequence, acknowledgement, id), Pdn.TcpTickle.Reset(source, target, sequence, acknowledgement, id));
        }
    }

    [Fact]
    public void Ipv4_mapped_endpoints_give_the_same_ipv4_packet()
    {
        var source = IPEndPoint.Parse("[::ffff:192.0.2.50]:445");
        var target = IPEndPoint.Parse("[::ffff:192.0.2.10]:40000");
        var ours = TcpTickle.TickleAck(source, target, 7);
        Assert.Equal(TcpTickle.IPv4PacketLength, ours.Length);
        Assert.Equal(ours, Pdn.TcpTickle.TickleAck(source, target, 7));
    }

    [Fact]
    public void PacketDotNet_parses_our_frames_with_valid_checksums()
    {
        byte[] mac = [0x02, 0x00, 0x00, 0xaa, 0xbb, 0xcc];
        var garp = Frame(GratuitousArp.Length, b => GratuitousArp.Write(b, mac, IPAddress.Parse("192.0.2.10")));
        var arp = Packet.ParsePacket(LinkLayers.Ethernet, garp).Extract<ArpPacket>();
        Assert.Equal(ArpOperation.Request, arp.Operation);
        Assert.Equal(IPAddress.Parse("192.0.2.10"), arp.SenderProtocolAddress);
        Assert.Equal(arp.SenderProtocolAddress, arp.TargetProtocolAddress);
        Assert.Equal(mac, arp.SenderHardwareAddress.GetAddressBytes());

        var target = IPAddress.Parse("2001:db8::10");
        var na = Packet.ParsePacket(LinkLayers.Ethernet, Frame(NeighborAdvertisement.Length, b => NeighborAdvertisement.Write(b, mac, target)));
        var icmp = na.Extract<IcmpV6Packet>();
        Assert.Equal(IcmpV6Type.NeighborAdvertisement, icmp.Type);
        Assert.True(icmp.ValidIcmpChecksum);
        var advertisement = Assert.IsType<NdpNeighborAdvertisementPacket>(icmp.PayloadPacket);
        Assert.True(advertisement.Override);
        Assert.False(advertisement.Solicited);
        Assert.Equal(target, advertisement.TargetAddress);
        Assert.Equal(255, na.Extract<IPv6Packet>().HopLimit);

        foreach (var (source, client) in new[] { ("192.0.2.50:445", "192.0.2.10:40000"), ("[2001:db8::50]:2049", "[2001:db8::10]:812") })
        {
            var packet = TcpTickle.Reset(IPEndPoint.Parse(source), IPEndPoint.Parse(client), 5, 9, 7);
            var ip = source.StartsWith('[') ? (IPPacket)new IPv6Packet(new PacketDotNet.Utils.ByteArraySegment(packet)) : new IPv4Packet(new PacketDotNet.Utils.ByteArraySegment(packet));
            var tcp = ip.Extract<TcpPacket>();
            Assert.True(tcp.ValidTcpChecksum);
            Assert.True(tcp.Reset && tcp.Acknowledgment && !tcp.Synchronize);
            Assert.Equal(5u, tcp.SequenceNumber);
            Assert.Equal(9u, tcp.AcknowledgmentNumber);
            Assert.Equal(TcpTickle.Window, tcp.WindowSize);
            if (ip is IPv4Packet v4)
            {
                Assert.True(v4.ValidIPChecksum);
            }
        }
    }

    private static byte[] Frame(int length, Func<byte[], int> write)
    {
        var buffer = new byte[length + 16];
        return buffer[..write(buffer)];
    }

    private static byte[] Mac(Random random)
    {
        var mac = new byte[Ethernet.AddressLength];
        random.NextBytes(mac);
        mac[0] = (byte)((mac[0] & 0xFC) | 0x02); // unicast, locally administered
        return mac;
    }

    private static IPAddress Address4(Random random) => new(random.NextInt64(1, uint.MaxValue));

    private static IPAddress Address6(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        bytes[0] = 0x20;
        return new IPAddress(bytes);
    }
}
