// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using CtdbPcmk.Linux.Netlink;
using CtdbPcmk.Ocf;
using CtdbPcmk.Vip;

namespace CtdbPcmk.Agents.Tests;

public sealed class InterfaceFinderTests
{
    private const uint Up = Rtnl.IffUp | Rtnl.IffLowerUp;
    private static readonly LinkInfo s_lo = new(1, "lo", [], Up | Rtnl.IffLoopback, 772, new byte[6]);
    private static readonly LinkInfo s_eth0 = new(2, "eth0", ["enp0s3"], Up, 1, new byte[6]);
    private static readonly LinkInfo s_eth1Down = new(3, "eth1", [], Rtnl.IffUp, 1, new byte[6]);
    private static readonly LinkInfo[] s_links = [s_lo, s_eth0, s_eth1Down];

    private static VipConfig Config(string ip, string? nic = null, string? mask = null)
    {
        var env = new Dictionary<string, string> { ["OCF_RESKEY_ip"] = ip };
        if (nic is not null)
        {
            env["OCF_RESKEY_nic"] = nic;
        }
        if (mask is not null)
        {
            env["OCF_RESKEY_cidr_netmask"] = mask;
        }
        var e = OcfEnvironment.From(env);
        return VipConfig.Parse(new OcfParameters(new VipAgent().Parameters, e), new OcfLog("t", e, TextWriter.Null));
    }

    private static AddressInfo Addr(int index, string ip, int prefix, string? brd = null) =>
        new(index, IPAddress.Parse(ip), prefix, 0, null, brd is null ? null : IPAddress.Parse(brd));

    [Fact]
    public void The_longest_matching_subnet_wins_and_its_broadcast_is_kept()
    {
        AddressInfo[] addrs = [Addr(2, "10.0.0.1", 8, "10.255.255.255"), Addr(3, "10.1.0.1", 16, "10.1.255.255")];
        var p = InterfaceFinder.Find(Config("10.1.2.3"), s_links, addrs, [])!;
        Assert.Equal(("eth1", 16, "10.1.255.255"), (p.Link.Name, p.PrefixLength, p.SiblingBroadcast?.ToString()));
    }

    [Fact]
    public void A_link_that_is_down_is_still_found_through_its_address()
    {
        // The kernel drops a down link's routes; its addresses stay, so stop/start still know it.
        var p = InterfaceFinder.Find(Config("192.168.5.9"), s_links, [Addr(3, "192.168.5.1", 24)], [])!;
        Assert.Equal("eth1", p.Link.Name);
        Assert.False(p.Link.IsUp);
    }

    [Fact]
    public void Routes_are_used_when_no_address_matches_and_only_on_link_ones_for_ipv4()
    {
        RouteInfo[] routes =
        [
            new(IPAddress.Parse("172.16.0.0"), 12, 3, 0, 0),                 // via a gateway: ignored
            new(IPAddress.Parse("172.16.0.0"), 24, 2, 100, Rtnl.RtScopeLink),
            new(IPAddress.Parse("172.16.0.0"), 24, 3, 50, Rtnl.RtScopeLink),
            new(IPAddress.Any, 0, 2, 0, 0),                                   // default: ignored
        ];
        var p = InterfaceFinder.Find(Config("172.16.0.9"), s_links, [], routes)!;
        Assert.Equal(("eth0", 24), (p.Link.Name, p.PrefixLength));   // the up link before the lower metric
        Assert.Null(InterfaceFinder.Find(Config("172.17.0.9"), s_links, [], routes));
    }

    [Fact]
    public void An_explicit_nic_by_alternative_name_restricts_the_choice_and_defaults_to_a_host_prefix()
    {
        AddressInfo[] addrs = [Addr(3, "10.0.0.1", 8)];
        var p = InterfaceFinder.Find(Config("10.1.2.3", nic: "enp0s3"), s_links, addrs, [])!;
        Assert.Equal(("eth0", 32), (p.Link.Name, p.PrefixLength));
        var v6 = InterfaceFinder.Find(Config("2001:db8::5", nic: "eth0"), s_links, [], [])!;
        Assert.Equal(128, v6.PrefixLength);
    }

    [Fact]
    public void Cidr_netmask_overrides_the_prefix_found()
    {
        var p = InterfaceFinder.Find(Config("10.1.2.3", mask: "255.255.255.0"), s_links, [Addr(2, "10.0.0.1", 8)], [])!;
        Assert.Equal(24, p.PrefixLength);
    }

    [Fact]
    public void Loopback_and_the_address_itself_are_not_candidates()
    {
        AddressInfo[] addrs = [Addr(1, "10.0.0.1", 8), Addr(2, "10.9.9.9", 32)];
        Assert.Null(InterfaceFinder.Find(Config("10.9.9.9"), s_links, addrs, []));
    }

    [Fact]
    public void A_missing_nic_is_not_installed()
    {
        var e = Assert.Throws<OcfException>(() => InterfaceFinder.Find(Config("10.1.2.3", nic: "eth9"), s_links, [], []));
        Assert.Equal(OcfExitCode.ErrInstalled, e.Code);
    }

    [Theory]
    [InlineData("10.0.0.0", 8, "10.255.255.255", true)]
    [InlineData("10.0.0.0", 9, "10.128.0.1", false)]
    [InlineData("2001:db8::", 64, "2001:db8::ffff", true)]
    [InlineData("2001:db8::", 127, "2001:db8::2", false)]
    [InlineData("192.0.2.0", 24, "2001:db8::1", false)]
    public void Subnet_containment(string net, int prefix, string ip, bool contained) =>
        Assert.Equal(contained, Subnet.Contains(IPAddress.Parse(net), prefix, IPAddress.Parse(ip)));

    [Theory]
    [InlineData("192.0.2.10", 24, "192.0.2.255")]
    [InlineData("10.1.2.3", 15, "10.1.255.255")]
    [InlineData("10.1.2.3", 31, null)]
    public void Derived_broadcast(string ip, int prefix, string? broadcast) =>
        Assert.Equal(broadcast, Subnet.Broadcast(IPAddress.Parse(ip), prefix)?.ToString());
}
