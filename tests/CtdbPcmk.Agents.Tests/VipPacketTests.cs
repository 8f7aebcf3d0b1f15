// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using CtdbPcmk.Packets;

namespace CtdbPcmk.Agents.Tests;

/// <summary>What the vip agent puts on the wire, captured with tshark on the veth peer.</summary>
[Collection(OcfRootGroup.Name)]
public sealed class VipPacketTests(OcfRootFixture root)
{
    [Fact]
    public void Start_sends_arp_count_gratuitous_arps_identical_to_the_builder()
    {
        using var ns = new Netns();
        var mac = ns.Mac("v0");
        using var capture = new Capture(ns, "v1", "arp", count: 3, seconds: 20);
        var r = ns.Agent(root.Agent("vip"), "start", new Dictionary<string, string> { ["ip"] = "192.0.2.100", ["arp_count"] = "3", ["arp_interval"] = "100" });
        Assert.True(r.Code == 0, r.Stderr);
        var frames = capture.Frames();
        var expected = new byte[GratuitousArp.Length];
        GratuitousArp.Write(expected, mac, IPAddress.Parse("192.0.2.100"));
        Assert.Equal(3, frames.Count);
        Assert.All(frames, f => Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(f)));
    }

    [Fact]
    public void Start_sends_unsolicited_neighbour_advertisements_identical_to_the_builder()
    {
        using var ns = new Netns();
        var mac = ns.Mac("v0");
        using var capture = new Capture(ns, "v1", "icmp6 and ip6[40] == 136", count: 2, seconds: 20);
        var r = ns.Agent(root.Agent("vip"), "start", new Dictionary<string, string> { ["ip"] = "2001:db8::100", ["arp_count"] = "2", ["arp_interval"] = "100", ["nodad"] = "true" });
        Assert.True(r.Code == 0, r.Stderr);
        var frames = capture.Frames();
        var expected = new byte[NeighborAdvertisement.Length];
        NeighborAdvertisement.Write(expected, mac, IPAddress.Parse("2001:db8::100"));
        Assert.Equal(2, frames.Count);
        Assert.All(frames, f => Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(f)));
    }
}
