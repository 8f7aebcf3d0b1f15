// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.CommandRunner;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Portblock;

/// <summary>
/// iptables fallback (iptables for IPv4, ip6tables for IPv6, always with -w for the xtables lock).
/// Rules are found with <c>-C</c> on the exact rule including its comment tag, which works with
/// both the legacy and the nf_tables backend (1.8.9 prints protocol numbers in listings, so
/// parsing <c>-L</c> output does not).
/// </summary>
internal sealed class IptablesFirewall : IFirewall
{
    /// <summary>The multiport match takes at most 15 ports (a range counts twice).</summary>
    public const int MaxMultiportSlots = 15;
    private const int MaxCopies = 64;
    private readonly ICommandRunner _runner;
    private readonly string _iptables;
    private readonly string _ip6tables;
    private readonly TimeSpan _timeout;

    public IptablesFirewall(ICommandRunner runner, string iptables, string ip6tables, TimeSpan timeout)
    {
        _runner = runner;
        _iptables = iptables;
        _ip6tables = ip6tables;
        _timeout = timeout;
    }

    public string Name => "iptables";

    /// <summary>The rule specification after the chain name.</summary>
    public static List<string> Specification(BlockRule rule)
    {
        var inbound = rule.Direction == TrafficDirection.In;
        return
        [
            "-p", rule.Protocol,
            inbound ? "-d" : "-s", rule.Match.ToString(),
            "-m", "multiport", inbound ? "--dports" : "--sports", rule.Ports.ToMultiport(),
            "-m", "comment", "--comment", rule.Tag,
            "-j", "DROP",
        ];
    }

    public bool IsPresent(BlockRule rule)
    {
        var result = Invoke(rule, "-C");
        return result.ExitCode switch
        {
            0 => true,
            1 when !result.TimedOut => false,
            _ => throw Failure(rule, "-C", result),
        };
    }

    public void Add(BlockRule rule)
    {
        if (rule.Ports.MultiportSlots > MaxMultiportSlots)
        {
            throw OcfException.Configured($"portno '{rule.Ports}' has more than {MaxMultiportSlots} entries, the limit of iptables' multiport match");
        }

        if (!IsPresent(rule))
        {
            Check(rule, "-I", Invoke(rule, "-I"));
        }
    }

    public void Remove(BlockRule rule)
    {
        // -D removes one copy per call; also clear copies another tool may have added.
        for (var i = 0; i < MaxCopies && IsPresent(rule); i++)
        {
            Check(rule, "-D", Invoke(rule, "-D"));
        }
    }

    private CommandResult Invoke(BlockRule rule, string operation)
    {
        List<string> args = ["-w", operation, rule.Direction == TrafficDirection.In ? "INPUT" : "OUTPUT", .. Specification(rule)];
        return _runner.Run(rule.Match.IsIPv6 ? _ip6tables : _iptables, args, _timeout);
    }

    private void Check(BlockRule rule, string operation, CommandResult result)
    {
        if (!result.Succeeded)
        {
            throw Failure(rule, operation, result);
        }
    }

    private OcfException Failure(BlockRule rule, string operation, CommandResult result)
    {
        var tool = Path.GetFileName(rule.Match.IsIPv6 ? _ip6tables : _iptables);
        return OcfException.Generic(result.TimedOut
            ? $"{tool} {operation} ({rule}): timed out"
            : $"{tool} {operation} ({rule}): exit {result.ExitCode}: {result.Stderr.Trim()}");
    }
}
