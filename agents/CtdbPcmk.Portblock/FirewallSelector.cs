// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.CommandRunner;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Portblock;

/// <summary>Chooses the backend: nft when installed (or asked for), else iptables/ip6tables.</summary>
internal static class FirewallSelector
{
    public static IFirewall Select(string choice, ICommandRunner runner, TimeSpan timeout)
    {
        if (choice is "auto" or "nft" && runner.Find("nft") is { } nft)
        {
            return new NftFirewall(runner, nft, timeout);
        }

        if (choice is "auto" or "iptables")
        {
            var iptables = runner.Find("iptables");
            var ip6tables = runner.Find("ip6tables");
            if (iptables is not null && ip6tables is not null)
            {
                return new IptablesFirewall(runner, iptables, ip6tables, timeout);
            }
        }

        throw OcfException.Installed(choice switch
        {
            "nft" => "firewall=nft but the nft program is not installed",
            "iptables" => "firewall=iptables but iptables/ip6tables are not installed",
            _ => "neither nft nor iptables/ip6tables is installed",
        });
    }
}
