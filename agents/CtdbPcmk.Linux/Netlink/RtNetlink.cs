// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using System.Net.Sockets;
using static CtdbPcmk.Linux.Interop.Netlink;

namespace CtdbPcmk.Linux.Netlink;

/// <summary>
/// Interfaces, addresses and routes through rtnetlink: what "ip link", "ip addr" and "ip route"
/// do, without running them. Each message starts with its fixed header (ifinfomsg, ifaddrmsg,
/// rtmsg: <see cref="Interop.Netlink"/>), then the attributes.
/// </summary>
public sealed class RtNetlink : IDisposable
{
    private readonly NetlinkSocket _socket = NetlinkSocket.OpenRoute();

    /// <summary>All interfaces.</summary>
    public List<LinkInfo> GetLinks()
    {
        var links = new List<LinkInfo>();
        var seq = _socket.NextSequence();
        var request = new NetlinkWriter(Rtnl.RtmGetLink, Rtnl.FRequest | Rtnl.FDump, seq).Header(new IfInfoMsg());
        _socket.Dump(request, seq, "RTM_GETLINK", (type, body) =>
        {
            if (type != Rtnl.RtmNewLink || NetlinkMessage.ReadBody<IfInfoMsg>(body) is not { } ifi)
            {
                return;
            }
            var hardwareType = ifi.ifi_type;
            var index = ifi.ifi_index;
            var flags = ifi.ifi_flags;
            string name = "";
            byte[] mac = [];
            var altNames = new List<string>();
            NetlinkAttributes.ForEach(NetlinkMessage.AttributesAfter<IfInfoMsg>(body), (attr, payload) =>
            {
                switch (attr)
                {
                    case Rtnl.IflaIfname:
                        name = NetlinkAttributes.Text(payload);
                        break;
                    case Rtnl.IflaAddress:
                        mac = payload.ToArray();
                        break;
                    case Rtnl.IflaPropList:
                        NetlinkAttributes.ForEach(payload, (prop, value) =>
                        {
                            if (prop == Rtnl.IflaAltIfname)
                            {
                                altNames.Add(NetlinkAttributes.Text(value));
                            }
                        });
                        break;
                }
            });
            links.Add(new LinkInfo(index, name, altNames, flags, hardwareType, mac));
        });
        return links;
    }

    /// <summary>All addresses of a family (AF_INET or AF_INET6).</summary>
    public List<AddressInfo> GetAddresses(AddressFamily family)
    {
        var addresses = new List<AddressInfo>();
        var seq = _socket.NextSequence();
        var request = new NetlinkWriter(Rtnl.RtmGetAddr, Rtnl.FRequest | Rtnl.FDump, seq)
            .Header(new IfAddrMsg { ifa_family = Family(family) });
        _socket.Dump(request, seq, "RTM_GETADDR", (type, body) =>
        {
            if (type != Rtnl.RtmNewAddr || NetlinkMessage.ReadBody<IfAddrMsg>(body) is not { } ifa || ifa.ifa_family != Family(family))
            {
                return;
            }
            var prefix = ifa.ifa_prefixlen;
            uint flags = ifa.ifa_flags;
            var index = ifa.ifa_index;
            IPAddress? address = null, local = null, broadcast = null;
            string? label = null;
            NetlinkAttributes.ForEach(NetlinkMessage.AttributesAfter<IfAddrMsg>(body), (attr, payload) =>
            {
                switch (attr)
                {
                    case Rtnl.IfaAddress:
                        address = new IPAddress(payload);
                        break;
                    case Rtnl.IfaLocal:
                        local = new IPAddress(payload);
                        break;
                    case Rtnl.IfaBroadcast:
                        broadcast = new IPAddress(payload);
                        break;
                    case Rtnl.IfaLabel:
                        label = NetlinkAttributes.Text(payload);
                        break;
                    case Rtnl.IfaFlags:
                        flags = NetlinkAttributes.U32(payload);
                        break;
                }
            });
            // IPv4 point-to-point addresses carry the peer in IFA_ADDRESS; IFA_LOCAL is ours.
            var own = local ?? address;
            if (own is not null)
            {
                addresses.Add(new AddressInfo(index, own, prefix, flags, label, broadcast));
            }
        });
        return addresses;
    }

    /// <summary>The unicast routes of the main table for a family.</summary>
    public List<RouteInfo> GetRoutes(AddressFamily family)
    {
        var routes = new List<RouteInfo>();
        var seq = _socket.NextSequence();
        var request = new NetlinkWriter(Rtnl.RtmGetRoute, Rtnl.FRequest | Rtnl.FDump, seq)
            .Header(new RtMsg { rtm_family = Family(family) });
        _socket.Dump(request, seq, "RTM_GETROUTE", (type, body) =>
        {
            if (type != Rtnl.RtmNewRoute || NetlinkMessage.ReadBody<RtMsg>(body) is not { } rtm
                || rtm.rtm_family != Family(family) || rtm.rtm_type != Rtnl.RtnUnicast)
            {
                return;
            }
            var prefix = rtm.rtm_dst_len;
            uint table = rtm.rtm_table;
            var scope = rtm.rtm_scope;
            IPAddress? destination = null;
            int oif = 0;
            uint metric = 0;
            NetlinkAttributes.ForEach(NetlinkMessage.AttributesAfter<RtMsg>(body), (attr, payload) =>
            {
                switch (attr)
                {
                    case Rtnl.RtaDst:
                        destination = new IPAddress(payload);
                        break;
                    case Rtnl.RtaOif:
                        oif = (int)NetlinkAttributes.U32(payload);
                        break;
                    case Rtnl.RtaPriority:
                        metric = NetlinkAttributes.U32(payload);
                        break;
                    case Rtnl.RtaTable:
                        table = NetlinkAttributes.U32(payload);
                        break;
                }
            });
            if (table == Rtnl.RtTableMain)
            {
                destination ??= family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
                routes.Add(new RouteInfo(destination, prefix, oif, metric, scope));
            }
        });
        return routes;
    }

    /// <summary>Adds an address (RTM_NEWADDR with NLM_F_CREATE|NLM_F_EXCL).</summary>
    public void AddAddress(AddressRequest a)
    {
        var isV6 = a.Address.AddressFamily == AddressFamily.InterNetworkV6;
        var seq = _socket.NextSequence();
        var request = new NetlinkWriter(Rtnl.RtmNewAddr, Rtnl.FRequest | Rtnl.FAck | Rtnl.FCreate | Rtnl.FExcl, seq)
            .Header(IfAddrMsg(a.Address, a.PrefixLength, a.Index, (byte)a.Flags));
        Span<byte> bytes = stackalloc byte[16];
        a.Address.TryWriteBytes(bytes, out var n);
        if (!isV6)
        {
            request.Attribute(Rtnl.IfaLocal, bytes[..n]);
        }
        request.Attribute(Rtnl.IfaAddress, bytes[..n]);
        if (a.Broadcast is not null)
        {
            a.Broadcast.TryWriteBytes(bytes, out n);
            request.Attribute(Rtnl.IfaBroadcast, bytes[..n]);
        }
        if (a.Label is not null)
        {
            request.Attribute(Rtnl.IfaLabel, a.Label);
        }
        request.Attribute(Rtnl.IfaFlags, a.Flags);
        if (a.PreferredLifetime != uint.MaxValue)
        {
            // The time stamps of ifa_cacheinfo are output only.
            var cacheinfo = new IfaCacheInfo { ifa_prefered = a.PreferredLifetime, ifa_valid = uint.MaxValue };
            request.Attribute(Rtnl.IfaCacheinfo, HostLayout.AsBytes(in cacheinfo));
        }
        _socket.Request(request, seq, $"add {a.Address}/{a.PrefixLength}");
    }

    /// <summary>Deletes an address exactly as listed (address and prefix length must match).</summary>
    public void DeleteAddress(AddressInfo a)
    {
        var isV6 = a.Address.AddressFamily == AddressFamily.InterNetworkV6;
        var seq = _socket.NextSequence();
        var request = new NetlinkWriter(Rtnl.RtmDelAddr, Rtnl.FRequest | Rtnl.FAck, seq)
            .Header(IfAddrMsg(a.Address, a.PrefixLength, a.Index, 0));
        Span<byte> bytes = stackalloc byte[16];
        a.Address.TryWriteBytes(bytes, out var n);
        request.Attribute(isV6 ? Rtnl.IfaAddress : Rtnl.IfaLocal, bytes[..n]);
        _socket.Request(request, seq, $"delete {a.Address}/{a.PrefixLength}");
    }

    /// <summary>
    /// Deletes the local route the kernel made for one of this host's addresses (table local):
    /// from then on, packets arriving for the address are no longer taken as this host's (they
    /// are dropped where the host does not forward), while the address stays, so that sockets
    /// bound to it can still send, a reset for instance. False when there was no such route.
    /// </summary>
    public bool DeleteLocalRoute(IPAddress address, int index)
    {
        var seq = _socket.NextSequence();
        var request = new NetlinkWriter(Rtnl.RtmDelRoute, Rtnl.FRequest | Rtnl.FAck, seq)
            .Header(LocalRoute(address, Rtnl.RtScopeNowhere, 0));
        RouteTarget(request, address, index);
        try
        {
            _socket.Request(request, seq, $"delete local route of {address}");
            return true;
        }
        catch (ErrnoException e) when (e.Errno is Errno.ESRCH or Errno.ENOENT)
        {
            return false;
        }
    }

    /// <summary>
    /// Gives an address of this host its local route back (as the kernel makes it when the
    /// address is added). False when it was there already.
    /// </summary>
    public bool AddLocalRoute(IPAddress address, int index)
    {
        var seq = _socket.NextSequence();
        var request = new NetlinkWriter(Rtnl.RtmNewRoute, Rtnl.FRequest | Rtnl.FAck | Rtnl.FCreate | Rtnl.FExcl, seq)
            .Header(LocalRoute(address, Rtnl.RtScopeHost, Rtnl.RtProtKernel));
        RouteTarget(request, address, index);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> bytes = stackalloc byte[4];
            address.TryWriteBytes(bytes, out _);
            request.Attribute(Rtnl.RtaPrefsrc, bytes);
        }
        try
        {
            _socket.Request(request, seq, $"add local route of {address}");
            return true;
        }
        catch (ErrnoException e) when (e.Errno == Errno.EEXIST)
        {
            return false;
        }
    }

    private static RtMsg LocalRoute(IPAddress address, byte scope, byte protocol) => new()
    {
        rtm_family = Family(address.AddressFamily),
        rtm_dst_len = (byte)(address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32),
        rtm_table = Rtnl.RtTableLocal,
        rtm_protocol = protocol,
        rtm_scope = scope,
        rtm_type = Rtnl.RtnLocal,
    };

    private static void RouteTarget(NetlinkWriter request, IPAddress address, int index)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var n);
        request.Attribute(Rtnl.RtaDst, bytes[..n]);
        request.Attribute(Rtnl.RtaOif, (uint)index);
    }

    /// <inheritdoc/>
    public void Dispose() => _socket.Dispose();

    /// <summary>The ifaddrmsg of an address (scope 0: universe).</summary>
    private static IfAddrMsg IfAddrMsg(IPAddress address, int prefix, int index, byte flags) =>
        new() { ifa_family = Family(address.AddressFamily), ifa_prefixlen = (byte)prefix, ifa_flags = flags, ifa_index = index };

    private static byte Family(AddressFamily family) =>
        family == AddressFamily.InterNetworkV6 ? (byte)LinuxSocket.AfInet6 : (byte)LinuxSocket.AfInet;
}
