// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net.Sockets;
using CtdbPcmk.Linux.Netlink;

namespace CtdbPcmk.Vip;

/// <summary>A snapshot of the interfaces and addresses of one family, read through rtnetlink.</summary>
internal sealed class HostState
{
    private HostState(List<LinkInfo> links, List<AddressInfo> addresses)
    {
        Links = links;
        Addresses = addresses;
    }

    public List<LinkInfo> Links { get; }
    public List<AddressInfo> Addresses { get; }

    public static HostState Read(RtNetlink rt, AddressFamily family) => new(rt.GetLinks(), rt.GetAddresses(family));

    public LinkInfo? Link(int index) => Links.FirstOrDefault(l => l.Index == index);

    /// <summary>Every instance of the address, on any interface.</summary>
    public List<AddressInfo> Find(System.Net.IPAddress address) => Addresses.Where(a => a.Address.Equals(address)).ToList();
}
