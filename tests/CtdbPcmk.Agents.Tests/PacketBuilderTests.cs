// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using CtdbPcmk.Packets;

namespace CtdbPcmk.Agents.Tests;

public sealed class PacketBuilderTests
{
    private static readonly byte[] s_mac = Convert.FromHexString("020000aabbcc");

    [Fact]
    public void Gratuitous_arp_request_is_byte_exact()
    {
        var frame = new byte[GratuitousArp.Length];
        Assert.Equal(42, GratuitousArp.Write(frame, s_mac, IPAddress.Parse("192.0.2.10")));
        Assert.Equal(
            "ffffffffffff020000aabbcc0806" + "0001080006040001" + "020000aabbccc000020a" + "000000000000c000020a",
            Convert.ToHexStringLower(frame));
    }

    [Fact]
    public void Gratuitous_arp_reply_carries_the_mac_as_target_too()
    {
        var frame = new byte[GratuitousArp.Length];
        GratuitousArp.Write(frame, s_mac, IPAddress.Parse("192.0.2.10"), GratuitousArp.OpReply);
        Assert.Equal(
            "ffffffffffff020000aabbcc0806" + "0001080006040002" + "020000aabbccc000020a" + "020000aabbccc000020a",
            Convert.ToHexStringLower(frame));
    }

    [Fact]
    public void Unsolicited_neighbour_advertisement_is_byte_exact_with_checksum()
    {
        var frame = new byte[NeighborAdvertisement.Length];
        Assert.Equal(86, NeighborAdvertisement.Write(frame, s_mac, IPAddress.Parse("2001:db8::10")));
        Assert.Equal(
            "333300000001020000aabbcc86dd"
            + "6000000000203aff" + "20010db8000000000000000000000010" + "ff020000000000000000000000000001"
            + "88003c97" + "20000000" + "20010db8000000000000000000000010" + "0201020000aabbcc",
            Convert.ToHexStringLower(frame));
    }

    [Fact]
    public void Neighbour_advertisement_checksum_verifies_to_zero()
    {
        var frame = new byte[NeighborAdvertisement.Length];
        var target = IPAddress.Parse("fd00:1234:5678::abcd");
        NeighborAdvertisement.Write(frame, s_mac, target, router: true);
        var icmp = frame.AsSpan(54);
        var sum = InternetChecksum.PseudoHeader(target, NeighborAdvertisement.AllNodes, 58, icmp.Length);
        Assert.Equal(0, InternetChecksum.Finish(InternetChecksum.Add(sum, icmp)));
        Assert.Equal(0xA0, icmp[4]);
    }

    [Fact]
    public void Checksum_of_odd_length_data_pads_with_zero()
    {
        // RFC 1071 example bytes 00 01 f2 03 f4 f5 f6 f7 sum to 0xddf2; complement 0x220d.
        Assert.Equal(0x220d, InternetChecksum.Compute(Convert.FromHexString("0001f203f4f5f6f7")));
        Assert.Equal(InternetChecksum.Compute(Convert.FromHexString("ab00")), InternetChecksum.Compute(Convert.FromHexString("ab")));
    }

    [Fact]
    public void Builders_reject_the_wrong_address_family_and_mac_length()
    {
        var frame = new byte[128];
        Assert.Throws<ArgumentException>(() => GratuitousArp.Write(frame, s_mac, IPAddress.Parse("2001:db8::1")));
        Assert.Throws<ArgumentException>(() => NeighborAdvertisement.Write(frame, s_mac, IPAddress.Parse("192.0.2.1")));
        Assert.Throws<ArgumentException>(() => GratuitousArp.Write(frame, new byte[5], IPAddress.Parse("192.0.2.1")));
    }
}
