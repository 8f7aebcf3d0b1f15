// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Agents.Tests;

/// <summary>The published Native AOT multi-call binary, run as Pacemaker runs it.</summary>
[Collection(OcfRootGroup.Name)]
public sealed class NativeBinaryTests(OcfRootFixture root)
{
    [Fact]
    public void Links_exist_for_every_agent_and_point_at_the_binary()
    {
        var list = Sh.Check(root.Binary, "--list").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("vip", list);
        foreach (var agent in list)
        {
            var link = new FileInfo(root.Agent(agent));
            Assert.Equal("../../lib/ctdb/ctdb-ocf", link.LinkTarget);
        }
    }

    [Fact]
    public void Meta_data_is_the_metadata_file_verbatim_even_as_nobody()
    {
        var expected = File.ReadAllText(RepoPaths.Metadata("vip"));
        Assert.Equal(expected, Sh.Check(root.Agent("vip"), "meta-data").Stdout);
        var nobody = Sh.Run("setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", root.Agent("vip"), "meta-data"]);
        Assert.Equal(0, nobody.Code);
        Assert.Equal(expected, nobody.Stdout);
    }

    [Fact]
    public void Binary_meta_data_validates_with_xmllint()
    {
        var xml = Sh.Check(root.Agent("vip"), "meta-data").Stdout;
        Assert.Equal(0, Xmllint.Run(xml, "--noout", "--relaxng", Xmllint.OcfRng).ExitCode);
        Assert.Equal(0, Xmllint.Run(xml, "--noout", "--dtdvalid", Xmllint.RaApiDtd).ExitCode);
    }

    [Theory]
    [InlineData("validate-all", "", 6, "parameter 'ip' is required")]
    [InlineData("start", "ip=10.1", 6, "ip '10.1' is not a valid IPv4 address")]
    [InlineData("monitor", "ip=192.0.2.1 cidr_netmask=33", 6, "cidr_netmask 33 is out of range 1-32")]
    [InlineData("validate-all", "ip=2001:db8::1 cidr_netmask=129", 6, "cidr_netmask 129 is out of range 1-128")]
    [InlineData("validate-all", "ip=192.0.2.1 cidr_netmask=255.0.255.0", 6, "cidr_netmask '255.0.255.0' is not a contiguous netmask")]
    [InlineData("validate-all", "ip=192.0.2.1 broadcast=x", 6, "broadcast 'x' is not an IPv4 address, '+' or '-'")]
    [InlineData("validate-all", "ip=2001:db8::1 broadcast=192.0.2.255", 6, "broadcast is not used with IPv6 addresses")]
    [InlineData("validate-all", "ip=fe80::1", 6, "ip fe80::1: a link-local IPv6 address requires nic")]
    [InlineData("validate-all", "ip=192.0.2.1 nic=eth0:1", 6, "nic 'eth0:1': give the base interface, not an alias (use iflabel for labels)")]
    [InlineData("validate-all", "ip=192.0.2.1 nic=averyveryverylongname", 6, "nic 'averyveryverylongname' is not a valid interface name")]
    [InlineData("validate-all", "ip=192.0.2.1 nic=lo iflabel=abcdefghijklm", 6, "label 'lo:abcdefghijklm' is longer than 15 characters")]
    [InlineData("validate-all", "ip=192.0.2.1 iflabel=abcdefghijklmnop", 6, "iflabel 'abcdefghijklmnop' is too long: '<nic>:abcdefghijklmnop' exceeds 15 characters")]
    [InlineData("validate-all", "ip=192.0.2.1 arp_count=x", 6, "parameter 'arp_count': 'x' is not an integer")]
    [InlineData("validate-all", "ip=192.0.2.1 arp_interval=-5", 6, "parameter 'arp_interval': -5 is out of range [0, 60000]")]
    [InlineData("validate-all", "ip=192.0.2.1 nodad=perhaps", 6, "parameter 'nodad': 'perhaps' is not a boolean")]
    [InlineData("validate-all", "ip=2001:db8::1 preferred_lft=soon", 6, "preferred_lft 'soon' must be a number of seconds or 'forever'")]
    [InlineData("validate-all", "ip=224.0.0.1", 6, "ip '224.0.0.1' cannot be used as a virtual address")]
    [InlineData("validate-all", "ip=192.0.2.1/24", 6, "ip '192.0.2.1/24' is not a valid IPv4 address")]
    [InlineData("stop", "ip=bogus", 0, null)]
    [InlineData("validate-all", "ip=192.0.2.1 cidr_netmask=24 nic=lo", 0, null)]
    [InlineData("promote", "ip=192.0.2.1", 3, null)]
    public void Environment_and_action_give_exit_code_and_reason(string action, string parameters, int code, string? reason)
    {
        var env = new Dictionary<string, string>();
        foreach (var kv in parameters.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var i = kv.IndexOf('=', StringComparison.Ordinal);
            env["OCF_RESKEY_" + kv[..i]] = kv[(i + 1)..];
        }
        var r = Sh.Run(root.Agent("vip"), [action], env);
        Assert.Equal(code, r.Code);
        Assert.Equal(reason, r.Reason);
    }
}
