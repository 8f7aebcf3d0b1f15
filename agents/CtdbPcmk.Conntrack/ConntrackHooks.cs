// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.CommandRunner;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Conntrack;

/// <summary>
/// The kernel tracks connections in a network namespace only while some rule there needs it.
/// The agent makes sure of it with a table of its own, "inet ctdb_conntrack", whose one rule
/// (counting new connections on prerouting) needs the connection state; stop removes the table.
/// With iptables instead of nft, the same rule goes into the mangle table, IPv4 and IPv6. It
/// also turns conntrack events on when a sysctl has them off.
/// </summary>
internal sealed class ConntrackHooks(ICommandRunner runner, OcfLog log)
{
    public const string Table = "ctdb_conntrack";
    private const string EventsSysctl = "/proc/sys/net/netfilter/nf_conntrack_events";
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    private static readonly string[] s_iptablesRule = ["PREROUTING", "-m", "conntrack", "--ctstate", "NEW", "-m", "comment", "--comment", Table];

    public void Enable()
    {
        if (runner.Find("nft") is { } nft)
        {
            // "add" then "delete" makes the redefinition below idempotent.
            var script = $"add table inet {Table}\ndelete table inet {Table}\n" +
                $"table inet {Table} {{\n  chain prerouting {{\n    type filter hook prerouting priority -150; policy accept;\n    ct state new counter\n  }}\n}}\n";
            Check(runner.Run(nft, ["-f", "-"], s_timeout, script), "nft");
        }
        else
        {
            foreach (var tool in new[] { "iptables", "ip6tables" })
            {
                var path = runner.Find(tool) ?? throw OcfException.Installed("neither nft nor iptables is installed: conntrack cannot be enabled");
                if (!runner.Run(path, ["-w", "-t", "mangle", "-C", .. s_iptablesRule], s_timeout).Succeeded)
                {
                    Check(runner.Run(path, ["-w", "-t", "mangle", "-A", .. s_iptablesRule], s_timeout), tool);
                }
            }
        }
        try
        {
            if (File.Exists(EventsSysctl) && File.ReadAllText(EventsSysctl).Trim() == "0")
            {
                File.WriteAllText(EventsSysctl, "1");
                log.Info("conntrack events were off (net.netfilter.nf_conntrack_events=0): turned on");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Warning($"{EventsSysctl}: {e.Message}");
        }
        log.Debug("connection tracking enabled for the tracker");
    }

    public void Disable()
    {
        if (runner.Find("nft") is { } nft)
        {
            Check(runner.Run(nft, ["-f", "-"], s_timeout, $"add table inet {Table}\ndelete table inet {Table}\n"), "nft");
            return;
        }
        foreach (var tool in new[] { "iptables", "ip6tables" })
        {
            if (runner.Find(tool) is { } path)
            {
                while (runner.Run(path, ["-w", "-t", "mangle", "-D", .. s_iptablesRule], s_timeout).Succeeded)
                {
                }
            }
        }
    }

    private static void Check(CommandResult result, string tool)
    {
        if (!result.Succeeded)
        {
            throw OcfException.Generic($"{tool} failed ({result.ExitCode}): {result.Stderr.Trim()}");
        }
    }
}
