// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using CtdbPcmk.Linux.Netlink;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Vip;

/// <summary>
/// Chooses the interface and prefix length for the address from the host's interfaces, addresses
/// and routes (pure: the caller supplies the lists). Rules, after IPaddr2's findif:
/// an explicit nic (name or alternative name) restricts the choice to that interface; the
/// candidates are first the configured subnets that contain the address (these stay when a link
/// goes down, unlike the routes findif relies on), then the main table's on-link routes; the
/// longest prefix wins, then an interface that is up, then the lowest route metric. An explicit
/// cidr_netmask overrides the prefix found.
/// </summary>
internal static class InterfaceFinder
{
    public static Placement? Find(VipConfig config, IReadOnlyList<LinkInfo> links, IReadOnlyList<AddressInfo> addresses, IReadOnlyList<RouteInfo> routes)
    {
        var vip = config.Address;
        LinkInfo? nic = null;
        if (config.Nic is not null)
        {
            nic = ResolveNic(config.Nic, links)
                ?? throw OcfException.Installed($"interface '{config.Nic}' does not exist on this node");
        }
        var byIndex = links.ToDictionary(l => l.Index);
        var loopbackVip = IPAddress.IsLoopback(vip);

        var fromSubnets = addresses
            .Where(a => !a.Address.Equals(vip) && a.PrefixLength > 0 && Subnet.Contains(a.Address, a.PrefixLength, vip))
            .Where(a => byIndex.ContainsKey(a.Index) && (nic is null || a.Index == nic.Index))
            .Where(a => loopbackVip || !byIndex[a.Index].IsLoopback)
            .Where(a => !(vip.IsIPv6LinkLocal ^ a.Address.IsIPv6LinkLocal))
            .OrderByDescending(a => a.PrefixLength)
            .ThenByDescending(a => byIndex[a.Index].IsUp)
            .ThenBy(a => a.Index)
            .FirstOrDefault();
        if (fromSubnets is not null)
        {
            return new Placement(byIndex[fromSubnets.Index], config.PrefixLength ?? fromSubnets.PrefixLength, fromSubnets.Broadcast);
        }

        var fromRoutes = routes
            .Where(r => r.PrefixLength > 0 && r.OutputIndex > 0 && Subnet.Contains(r.Destination, r.PrefixLength, vip))
            // IPv4: only on-link routes, not routes through a gateway (findif's "scope link").
            .Where(r => config.IsIPv6 || r.Scope == Rtnl.RtScopeLink)
            .Where(r => byIndex.ContainsKey(r.OutputIndex) && (nic is null || r.OutputIndex == nic.Index))
            .OrderByDescending(r => r.PrefixLength)
            .ThenByDescending(r => byIndex[r.OutputIndex].IsUp)
            .ThenBy(r => r.Metric)
            .FirstOrDefault();
        if (fromRoutes is not null)
        {
            return new Placement(byIndex[fromRoutes.OutputIndex], config.PrefixLength ?? fromRoutes.PrefixLength, null);
        }

        if (nic is not null)
        {
            // An explicit interface without a matching subnet: a host address unless told otherwise.
            return new Placement(nic, config.PrefixLength ?? config.MaxPrefix, null);
        }
        return null;
    }

    /// <summary>The interface with this name or alternative name.</summary>
    public static LinkInfo? ResolveNic(string name, IReadOnlyList<LinkInfo> links) =>
        links.FirstOrDefault(l => l.Name == name) ?? links.FirstOrDefault(l => l.HasName(name));
}
