// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Agents.Tests;

/// <summary>The published vip agent against real interfaces in throw-away network namespaces (root).</summary>
[Collection(OcfRootGroup.Name)]
public sealed class VipNetnsTests(OcfRootFixture root)
{
    private readonly string _vip = root.Agent("vip");

    private static Dictionary<string, string> P(params string[] kv)
    {
        var d = new Dictionary<string, string>();
        for (var i = 0; i < kv.Length; i += 2)
        {
            d[kv[i]] = kv[i + 1];
        }
        return d;
    }

    [Fact]
    public void IPv4_start_monitor_stop_with_interface_discovery()
    {
        using var ns = new Netns();
        var p = P("ip", "192.0.2.10", "arp_count", "1");
        Assert.Equal(7, ns.Agent(_vip, "monitor", P("ip", "192.0.2.10", "OCF_RESKEY_CRM_meta_interval", "0")).Code);
        var start = ns.Agent(_vip, "start", p);
        Assert.True(start.Code == 0, start.Stderr);
        var a = Assert.Single(ns.Addresses("v0"), x => x.Address == "192.0.2.10");
        Assert.Equal(24, a.Prefix);
        Assert.Equal("192.0.2.255", a.Broadcast);
        Assert.Equal(0, ns.Agent(_vip, "monitor", p).Code);
        Assert.Equal(0, ns.Agent(_vip, "start", p).Code);
        Assert.Single(ns.Addresses("v0"), x => x.Address == "192.0.2.10");
        Assert.Equal(0, ns.Agent(_vip, "stop", p).Code);
        Assert.DoesNotContain(ns.Addresses("v0"), x => x.Address == "192.0.2.10");
        Assert.Equal(7, ns.Agent(_vip, "monitor", p).Code);
        Assert.Equal(0, ns.Agent(_vip, "stop", p).Code);
    }

    [Fact]
    public void IPv4_explicit_prefix_broadcast_and_label()
    {
        using var ns = new Netns();
        var p = P("ip", "192.0.2.20", "nic", "v0", "cidr_netmask", "25", "broadcast", "192.0.2.100", "iflabel", "web", "arp_count", "0");
        var start = ns.Agent(_vip, "start", p);
        Assert.True(start.Code == 0, start.Stderr);
        var a = Assert.Single(ns.Addresses("v0"), x => x.Address == "192.0.2.20");
        Assert.Equal((25, "v0:web", "192.0.2.100"), (a.Prefix, a.Label, a.Broadcast));
        Assert.Equal(0, ns.Agent(_vip, "monitor", p).Code);
        var other = ns.Agent(_vip, "monitor", P("ip", "192.0.2.20", "nic", "v0", "iflabel", "db"));
        Assert.Equal(1, other.Code);
        Assert.Contains("label", other.Reason);
        Assert.Equal(0, ns.Agent(_vip, "stop", p).Code);
    }

    [Fact]
    public void IPv6_with_discovery_preferred_lft_and_dad()
    {
        using var ns = new Netns();
        var p = P("ip", "2001:db8::10", "preferred_lft", "0", "arp_count", "1");
        var start = ns.Agent(_vip, "start", p);
        Assert.True(start.Code == 0, start.Stderr);
        var a = Assert.Single(ns.Addresses("v0"), x => x.Address == "2001:db8::10");
        Assert.Equal(64, a.Prefix);
        Assert.Contains("deprecated", a.Flags);
        Assert.DoesNotContain("tentative", a.Flags);
        Assert.Equal(0, ns.Agent(_vip, "monitor", p).Code);
        Assert.Equal(0, ns.Agent(_vip, "stop", p).Code);
        Assert.DoesNotContain(ns.Addresses("v0"), x => x.Address == "2001:db8::10");
    }

    [Fact]
    public void Background_announcements_end_when_the_address_stops()
    {
        using var ns = new Netns();
        var state = Directory.CreateTempSubdirectory("ctdbpcmk-rsctmp-");
        try
        {
            var p = P("ip", "192.0.2.15", "arp_count", "100", "arp_interval", "100", "HA_RSCTMP", state.FullName);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Assert.Equal(0, ns.Agent(_vip, "start", p).Code);
            Assert.True(clock.ElapsedMilliseconds < 5000, "start waited for the announcements");
            var pidFile = Assert.Single(state.GetFiles("*.pid"));
            var pid = int.Parse(File.ReadAllText(pidFile.FullName).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(Directory.Exists($"/proc/{pid}"), "announcement process is not running");
            Assert.Equal(0, ns.Agent(_vip, "stop", p).Code);
            Assert.Empty(state.GetFiles("*.pid"));
            Assert.True(SpinWait.SpinUntil(() => !File.Exists($"/proc/{pid}/exe") || new FileInfo($"/proc/{pid}/exe").LinkTarget is null, 5000),
                "announcement process still runs after stop");
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }

    [Fact]
    public void Nic_may_be_an_alternative_name()
    {
        using var ns = new Netns();
        ns.Ip("link", "property", "add", "dev", "v0", "altname", "vipalternative0");
        var p = P("ip", "192.0.2.30", "nic", "vipalternative0", "arp_count", "0", "iflabel", "x");
        var start = ns.Agent(_vip, "start", p);
        Assert.True(start.Code == 0, start.Stderr);
        Assert.Single(ns.Addresses("v0"), x => x.Address == "192.0.2.30" && x.Label == "v0:x");
        Assert.Equal(0, ns.Agent(_vip, "monitor", p).Code);
        Assert.Equal(0, ns.Agent(_vip, "stop", p).Code);
    }

    [Theory]
    [InlineData("192.0.2.40", false)]
    [InlineData("192.0.2.40", true)]
    [InlineData("2001:db8::40", false)]
    public void Link_down_makes_monitor_not_running_and_stop_still_removes_the_address(string ip, bool withNic)
    {
        using var ns = new Netns();
        var p = withNic ? P("ip", ip, "nic", "v0", "arp_count", "0", "nodad", "1") : P("ip", ip, "arp_count", "0", "nodad", "1");
        Assert.Equal(0, ns.Agent(_vip, "start", p).Code);
        ns.Ip("link", "set", "v1", "down");   // v0 loses carrier
        Assert.Equal(7, ns.Agent(_vip, "monitor", p).Code);
        var ignoring = new Dictionary<string, string>(p) { ["check_link_status"] = "false" };
        Assert.Equal(0, ns.Agent(_vip, "monitor", ignoring).Code);
        ns.Ip("link", "set", "v0", "down");   // administratively down: the subnet route is gone too
        Assert.Equal(7, ns.Agent(_vip, "monitor", p).Code);
        Assert.Equal(0, ns.Agent(_vip, "stop", p).Code);
        Assert.DoesNotContain(ns.Addresses("v0"), x => x.Address == ip);
    }

    [Fact]
    public void Start_on_a_link_without_carrier_fails_and_adds_nothing()
    {
        using var ns = new Netns();
        ns.Ip("link", "set", "v1", "down");
        var start = ns.Agent(_vip, "start", P("ip", "192.0.2.50", "arp_count", "0"));
        Assert.Equal(1, start.Code);
        Assert.Equal("link v0 is down", start.Reason);
        Assert.DoesNotContain(ns.Addresses("v0"), x => x.Address == "192.0.2.50");
    }

    [Fact]
    public void Stop_removes_the_address_from_another_interface_too()
    {
        using var ns = new Netns();
        ns.Ip("addr", "add", "192.0.2.60/32", "dev", "lo");
        Assert.Equal(0, ns.Agent(_vip, "stop", P("ip", "192.0.2.60", "nic", "v0")).Code);
        Assert.DoesNotContain(ns.Addresses("lo"), x => x.Address == "192.0.2.60");
    }

    [Fact]
    public void Start_moves_an_address_found_elsewhere()
    {
        using var ns = new Netns();
        ns.Ip("addr", "add", "192.0.2.61/32", "dev", "lo");
        Assert.Equal(0, ns.Agent(_vip, "start", P("ip", "192.0.2.61", "nic", "v0", "arp_count", "0")).Code);
        Assert.DoesNotContain(ns.Addresses("lo"), x => x.Address == "192.0.2.61");
        Assert.Single(ns.Addresses("v0"), x => x.Address == "192.0.2.61" && x.Prefix == 24);
    }

    [Theory]
    [InlineData("start", 5)]
    [InlineData("validate-all", 5)]
    [InlineData("monitor", 7)]
    [InlineData("stop", 0)]
    public void A_missing_interface_is_not_installed_here(string action, int code)
    {
        using var ns = new Netns();
        var r = ns.Agent(_vip, action, P("ip", "192.0.2.70", "nic", "nosuch0"));
        Assert.Equal(code, r.Code);
        if (code == 5)
        {
            Assert.Equal("interface 'nosuch0' does not exist on this node", r.Reason);
        }
    }

    [Fact]
    public void No_subnet_and_no_nic_is_not_installed_here()
    {
        using var ns = new Netns();
        var r = ns.Agent(_vip, "start", P("ip", "198.51.100.7"));
        Assert.Equal(5, r.Code);
        Assert.Contains("no interface on this node has a subnet or route containing 198.51.100.7", r.Reason);
    }

    [Theory]
    [InlineData("start", 4)]
    [InlineData("stop", 4)]
    [InlineData("monitor", 0)]
    [InlineData("meta-data", 0)]
    public void Without_privileges_changes_fail_with_perm(string action, int code)
    {
        using var ns = new Netns();
        var p = P("ip", "192.0.2.80", "arp_count", "0");
        if (action != "start")
        {
            ns.Ip("addr", "add", "192.0.2.80/24", "dev", "v0");
        }
        var r = ns.Agent(_vip, action, p, "setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--inh-caps=-all");
        Assert.Equal(code, r.Code);
        if (code == 4)
        {
            Assert.Contains("Operation not permitted", r.Reason);
        }
    }

    [Fact]
    public void Ocf_tester_passes()
    {
        using var ns = new Netns();
        var r = Sh.Run("ip", ["netns", "exec", ns.Name, "ocf-tester", "-n", "vip-test", "-o", "ip=192.0.2.90", "-o", "arp_count=1", _vip],
            new Dictionary<string, string> { ["OCF_ROOT"] = root.Root }, 300_000);
        Assert.True(r.Code == 0, r.Stdout + r.Stderr);
        Assert.Contains("passed all tests", r.Stdout);
    }
}
