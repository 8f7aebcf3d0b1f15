// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using CtdbPcmk.CommandRunner;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Portblock;

/// <summary>
/// nftables backend: our own table <c>inet ctdb_portblock</c> with one base chain per hook
/// (input, output). Each rule carries its tag as comment, so a rule is found exactly by tag and
/// chain, and deleted by handle. Table and chains are created on first use and left in place
/// (empty base chains with policy accept cost nothing and avoid races between instances).
/// </summary>
internal sealed class NftFirewall : IFirewall
{
    public const string Table = "ctdb_portblock";
    private readonly ICommandRunner _runner;
    private readonly string _nft;
    private readonly TimeSpan _timeout;

    public NftFirewall(ICommandRunner runner, string nft, TimeSpan timeout)
    {
        _runner = runner;
        _nft = nft;
        _timeout = timeout;
    }

    public string Name => "nft";

    public static string Chain(TrafficDirection direction) => direction == TrafficDirection.In ? "input" : "output";

    /// <summary>The rule expression, e.g. <c>ip daddr 192.0.2.50 tcp dport { 445, 139 } drop comment "..."</c>.</summary>
    public static string Expression(BlockRule rule)
    {
        var inbound = rule.Direction == TrafficDirection.In;
        var family = rule.Match.IsIPv6 ? "ip6" : "ip";
        return $"{family} {(inbound ? "daddr" : "saddr")} {rule.Match} {rule.Protocol} {(inbound ? "dport" : "sport")} {rule.Ports.ToNftSet()} drop comment \"{rule.Tag}\"";
    }

    public bool IsPresent(BlockRule rule) => Handles(rule).Count > 0;

    public void Add(BlockRule rule)
    {
        if (IsPresent(rule))
        {
            return;
        }

        var chain = Chain(rule.Direction);
        // One transaction: table, chain (both no-ops when they exist) and the rule.
        Run($"add table inet {Table} ; "
            + $"add chain inet {Table} {chain} {{ type filter hook {chain} priority 0 ; policy accept ; }} ; "
            + $"add rule inet {Table} {chain} {Expression(rule)}");
    }

    public void Remove(BlockRule rule)
    {
        var handles = Handles(rule);
        if (handles.Count == 0)
        {
            return;
        }

        var chain = Chain(rule.Direction);
        Run(string.Join(" ; ", handles.Select(h => $"delete rule inet {Table} {chain} handle {h}")));
    }

    /// <summary>Handles of the rules in the rule's chain that carry its tag.</summary>
    private List<long> Handles(BlockRule rule)
    {
        var result = _runner.Run(_nft, ["-a", "list", "table", "inet", Table], _timeout);
        if (!result.Succeeded)
        {
            if (!result.TimedOut && result.Stderr.Contains("No such file or directory", StringComparison.Ordinal))
            {
                return [];
            }

            throw Failure("list table", result);
        }

        return ParseHandles(result.Stdout, Chain(rule.Direction), rule.Tag);
    }

    /// <summary>Reads <c>nft -a list table</c> output: rule lines end with <c>comment "TAG" # handle N</c>.</summary>
    internal static List<long> ParseHandles(string listing, string chain, string tag)
    {
        var handles = new List<long>();
        string? current = null;
        var marker = $"comment \"{tag}\" # handle ";
        foreach (var raw in listing.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("chain ", StringComparison.Ordinal))
            {
                current = line.Split(' ')[1];
            }
            else if (line == "}")
            {
                current = null;
            }
            else if (current == chain && line.IndexOf(marker, StringComparison.Ordinal) is var at and >= 0
                && long.TryParse(line[(at + marker.Length)..], NumberStyles.None, CultureInfo.InvariantCulture, out var handle))
            {
                handles.Add(handle);
            }
        }

        return handles;
    }

    private void Run(string script)
    {
        var result = _runner.Run(_nft, [script], _timeout);
        if (!result.Succeeded)
        {
            throw Failure(script, result);
        }
    }

    private static OcfException Failure(string what, CommandResult result) => OcfException.Generic(result.TimedOut
        ? $"nft {what}: timed out"
        : $"nft {what}: exit {result.ExitCode}: {result.Stderr.Trim()}");
}
