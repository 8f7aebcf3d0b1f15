// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using System.Net.Sockets;
using CtdbPcmk.Linux.Netlink;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Samba;

/// <summary>
/// Where the agent reaches smbd: 127.0.0.1 when smbd listens on all addresses (bind interfaces
/// only = no), else the first entry of "interfaces": an address (with or without "/mask"), or
/// an interface name whose first address (IPv4 before IPv6) is looked up through rtnetlink.
/// </summary>
internal static class ProbeAddress
{
    public static IPAddress Find(SmbSettings settings)
    {
        if (!settings.BindInterfacesOnly)
        {
            return IPAddress.Loopback;
        }
        if (settings.Interfaces.Count == 0)
        {
            throw OcfException.Configured("'bind interfaces only = yes' but 'interfaces' is empty: smbd would listen nowhere");
        }
        var entry = Entry(settings.Interfaces[0]);
        if (IPAddress.TryParse(entry, out var address))
        {
            return address;
        }
        using var netlink = new RtNetlink();
        var link = netlink.GetLinks().Find(l => l.HasName(entry))
            ?? throw OcfException.Generic($"interfaces: '{entry}' is neither an address nor an interface of this node");
        foreach (var family in new[] { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 })
        {
            var found = netlink.GetAddresses(family).Find(a => a.Index == link.Index && !a.IsTentative && !a.DadFailed);
            if (found is not null)
            {
                return found.Address;
            }
        }
        throw OcfException.Generic($"interfaces: interface '{entry}' has no address");
    }

    /// <summary>An "interfaces" entry without its ";speed=...,capability=..." options and "/mask".</summary>
    internal static string Entry(string text)
    {
        var semicolon = text.IndexOf(';', StringComparison.Ordinal);
        var entry = semicolon >= 0 ? text[..semicolon] : text;
        var slash = entry.IndexOf('/', StringComparison.Ordinal);
        return slash >= 0 ? entry[..slash] : entry;
    }
}
