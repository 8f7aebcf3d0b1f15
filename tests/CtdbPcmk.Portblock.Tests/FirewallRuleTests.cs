// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text.RegularExpressions;

namespace CtdbPcmk.Portblock.Tests;

/// <summary>The real nft and iptables backends, driven through the installed agent in a private namespace.</summary>
public sealed partial class FirewallRuleTests : IDisposable
{
    private readonly Netns _ns = Netns.Create("fw");
    private readonly string _state = Directory.CreateTempSubdirectory("pbt-state").FullName;

    public void Dispose()
    {
        _ns.Dispose();
        Directory.Delete(_state, recursive: true);
    }

    [Theory]
    [InlineData("nft")]
    [InlineData("iptables")]
    public void RepeatedStartsKeepExactlyOneRuleAndStopRemovesIt(string firewall)
    {
        var block = new AgentProcess("pb-block", _state, ("protocol", "tcp"), ("portno", "445,139,8000:8010"),
            ("action", "block"), ("ip", "192.0.2.50"), ("firewall", firewall), ("direction", "both"));
        Assert.Equal(7, block.Run(_ns, "monitor").Code);
        for (var i = 0; i < 3; i++)
        {
            var start = block.Run(_ns, "start");
            Assert.True(start.Code == 0, start.ToString());
        }

        Assert.Equal(0, block.Run(_ns, "monitor").Code);
        Assert.Equal((1, 1), CountRules(firewall, "192.0.2.50"));

        var stop = block.Run(_ns, "stop");
        Assert.True(stop.Code == 0, stop.ToString());
        Assert.Equal((0, 0), CountRules(firewall, "192.0.2.50"));
        Assert.Equal(7, block.Run(_ns, "monitor").Code);
        Assert.Equal(0, block.Run(_ns, "stop").Code);
    }

    [Theory]
    [InlineData("nft")]
    [InlineData("iptables")]
    public void PairedBlockAndUnblockShareTheRule(string firewall)
    {
        (string, string)[] common = [("protocol", "udp"), ("portno", "2049"), ("ip", "fd00::50"), ("firewall", firewall)];
        var block = new AgentProcess("pb-b", _state, [.. common, ("action", "block")]);
        var unblock = new AgentProcess("pb-u", _state, [.. common, ("action", "unblock")]);

        Assert.Equal(0, block.Run(_ns, "start").Code);
        Assert.Equal((1, 0), CountRules(firewall, "fd00::50"));
        Assert.Equal(7, unblock.Run(_ns, "monitor").Code);

        Assert.Equal(0, unblock.Run(_ns, "start").Code);
        Assert.Equal((0, 0), CountRules(firewall, "fd00::50"));
        Assert.Equal(0, unblock.Run(_ns, "monitor").Code);
        Assert.Equal(0, block.Run(_ns, "monitor").Code);   // still started: its partner lifted the rule

        Assert.Equal(0, unblock.Run(_ns, "stop").Code);    // re-blocks
        Assert.Equal((1, 0), CountRules(firewall, "fd00::50"));
        Assert.Equal(0, unblock.Run(_ns, "start").Code);
        Assert.Equal(0, unblock.Run(_ns, "stop").Code);
        Assert.Equal(0, block.Run(_ns, "stop").Code);
        Assert.Equal((0, 0), CountRules(firewall, "fd00::50"));
    }

    [Theory]
    [InlineData("nft")]
    [InlineData("iptables")]
    public void UnblockStopWithoutBlockLeavesNoRuleAndLiftsNone(string firewall)
    {
        (string, string)[] common = [("protocol", "tcp"), ("portno", "445"), ("ip", "192.0.2.60"), ("firewall", firewall)];
        var unblock = new AgentProcess("pb-u", _state, [.. common, ("action", "unblock"), ("block_on_unblock_stop", "false")]);

        Assert.Equal(0, unblock.Run(_ns, "start").Code);
        Assert.Equal(0, unblock.Run(_ns, "monitor").Code);
        var stop = unblock.Run(_ns, "stop");
        Assert.True(stop.Code == 0, stop.ToString());
        Assert.Equal((0, 0), CountRules(firewall, "192.0.2.60"));
        Assert.Equal(7, unblock.Run(_ns, "monitor").Code);

        // A block another instance holds is not this stop's to lift, nor to add twice.
        var block = new AgentProcess("pb-b", _state, [.. common, ("action", "block")]);
        Assert.Equal(0, block.Run(_ns, "start").Code);
        Assert.Equal(0, unblock.Run(_ns, "stop").Code);
        Assert.Equal((1, 0), CountRules(firewall, "192.0.2.60"));
        Assert.Equal(0, block.Run(_ns, "stop").Code);
        Assert.Equal((0, 0), CountRules(firewall, "192.0.2.60"));
    }

    [Fact]
    public void BlockedPortDropsTrafficAndOtherRulesAreUntouched()
    {
        _ns.Ok("nft", "add table inet other ; add chain inet other input { type filter hook input priority 0 ; } ; add rule inet other input tcp dport 22 accept comment \"ctdb-portblock tcp 127.0.0.1 445\"");
        var block = new AgentProcess("pb", _state, ("protocol", "tcp"), ("portno", "4445"), ("action", "block"), ("ip", "127.0.0.1"));
        _ns.Start("socat", "TCP-LISTEN:4445,bind=127.0.0.1,reuseaddr,fork", "SYSTEM:echo up");
        WaitUntil(() => _ns.Run("socat", "-T1", "-", "TCP:127.0.0.1:4445,connect-timeout=1").Stdout.Contains("up"));

        Assert.Equal(0, block.Run(_ns, "start").Code);
        Assert.NotEqual(0, _ns.Run("socat", "-T1", "-", "TCP:127.0.0.1:4445,connect-timeout=1").Code);
        Assert.Equal(0, block.Run(_ns, "stop").Code);
        Assert.Contains("up", _ns.Run("socat", "-T1", "-", "TCP:127.0.0.1:4445,connect-timeout=1").Stdout);
        Assert.Contains("tcp dport 22 accept", _ns.Ok("nft", "list", "table", "inet", "other"));
    }

    /// <summary>Counts our rules for the address in the input and output hooks.</summary>
    private (int In, int Out) CountRules(string firewall, string address)
    {
        if (firewall == "nft")
        {
            var listing = _ns.Run("nft", "list", "table", "inet", "ctdb_portblock").Stdout;
            var chains = listing.Split("chain ");
            int Count(string chain) => chains.Where(c => c.StartsWith(chain + " ", StringComparison.Ordinal))
                .Sum(c => Regex.Count(c, $"addr {Regex.Escape(address)} .* drop comment"));
            return (Count("input"), Count("output"));
        }

        var tool = address.Contains(':', StringComparison.Ordinal) ? "ip6tables" : "iptables";
        var rules = _ns.Ok(tool, "-w", "-S").Split('\n');
        return (rules.Count(r => r.StartsWith("-A INPUT", StringComparison.Ordinal) && r.Contains("ctdb-portblock", StringComparison.Ordinal)),
                rules.Count(r => r.StartsWith("-A OUTPUT", StringComparison.Ordinal) && r.Contains("ctdb-portblock", StringComparison.Ordinal)));
    }

    internal static void WaitUntil(Func<bool> condition, int timeoutMs = 5000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, "condition not reached in time");
            Thread.Sleep(50);
        }
    }
}
