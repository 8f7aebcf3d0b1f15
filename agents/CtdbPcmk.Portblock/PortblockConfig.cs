// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Ocf;
using P = CtdbPcmk.Portblock.PortblockParameters;

namespace CtdbPcmk.Portblock;

/// <summary>The validated configuration of one portblock instance.</summary>
internal sealed record PortblockConfig(
    string Protocol,
    PortList Ports,
    BlockAction Action,
    AddressMatch Match,
    IReadOnlyList<TrafficDirection> Directions,
    string Firewall,
    bool ResetLocalOnUnblockStop,
    bool BlockOnUnblockStop,
    string? TickleDir,
    string? SyncScript,
    string CtdbSocket)
{
    public bool IsTcp => Protocol == "tcp";

    public IEnumerable<BlockRule> Rules => Directions.Select(d => new BlockRule(Protocol, Ports, Match, d));

    /// <summary>The connection list for this address, as the stock agent names it: tickle_dir/&lt;ip&gt;.</summary>
    public string? TickleFile => TickleDir is null ? null : Path.Combine(TickleDir, Match.Address.ToString());

    /// <summary>Parses and checks every parameter; any error ends the action with OCF_ERR_CONFIGURED.</summary>
    public static PortblockConfig Parse(OcfParameters parameters)
    {
        var protocol = parameters.GetRequired(P.Protocol).ToLowerInvariant();
        if (protocol is not ("tcp" or "udp"))
        {
            throw OcfException.Configured($"protocol '{protocol}' is not tcp or udp");
        }

        var portText = parameters.GetRequired(P.PortNo);
        if (!PortList.TryParse(portText, out var ports, out var portError))
        {
            throw OcfException.Configured($"portno '{portText}': {portError}");
        }

        var action = parameters.GetRequired(P.Action) switch
        {
            "block" => BlockAction.Block,
            "unblock" => BlockAction.Unblock,
            var other => throw OcfException.Configured($"action '{other}' is not block or unblock"),
        };

        var ipText = parameters.GetString(P.Ip);
        if (!AddressMatch.TryParse(ipText, out var match))
        {
            throw OcfException.Configured($"ip '{ipText}' is not an IPv4/IPv6 address or address/prefix");
        }

        IReadOnlyList<TrafficDirection> directions = parameters.GetString(P.Direction) switch
        {
            "in" => [TrafficDirection.In],
            "out" => [TrafficDirection.Out],
            "both" => [TrafficDirection.In, TrafficDirection.Out],
            var other => throw OcfException.Configured($"direction '{other}' is not in, out or both"),
        };

        var firewall = parameters.GetString(P.Firewall);
        if (firewall is not ("auto" or "nft" or "iptables"))
        {
            throw OcfException.Configured($"firewall '{firewall}' is not auto, nft or iptables");
        }

        var resetLocal = parameters.GetBoolean(P.ResetLocalOnUnblockStop);
        if (resetLocal && action != BlockAction.Unblock)
        {
            throw OcfException.Configured("reset_local_on_unblock_stop is only meaningful with action=unblock");
        }

        var blockOnStop = parameters.GetBoolean(P.BlockOnUnblockStop);
        if (!blockOnStop && action != BlockAction.Unblock)
        {
            throw OcfException.Configured("block_on_unblock_stop=false is only meaningful with action=unblock");
        }

        if (resetLocal && !blockOnStop)
        {
            // Reset clients would come straight back to this node, which still has the address.
            throw OcfException.Configured("reset_local_on_unblock_stop=true needs block_on_unblock_stop=true");
        }

        var tickleDir = NullIfEmpty(parameters.GetString(P.TickleDir));
        if (tickleDir is not null)
        {
            if (action != BlockAction.Unblock)
            {
                throw OcfException.Configured("tickle_dir is only meaningful with action=unblock");
            }

            if (!Path.IsPathFullyQualified(tickleDir))
            {
                throw OcfException.Configured($"tickle_dir '{tickleDir}' is not an absolute path");
            }

            if (!match.IsSingleAddress)
            {
                throw OcfException.Configured($"tickle_dir needs ip to be a single address, not the network {match}");
            }
        }

        var syncScript = NullIfEmpty(parameters.GetString(P.SyncScript));
        if (syncScript is not null && tickleDir is null)
        {
            throw OcfException.Configured("sync_script is only meaningful with tickle_dir");
        }

        return new PortblockConfig(protocol, ports, action, match, directions, firewall, resetLocal, blockOnStop, tickleDir, syncScript, parameters.GetString(P.CtdbSocket));
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
