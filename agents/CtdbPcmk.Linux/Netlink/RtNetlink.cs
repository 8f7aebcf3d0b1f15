// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux.Netlink;

/// <summary>
/// Interfaces, addresses and routes through rtnetlink: what "ip link", "ip addr" and "ip route"
/// do, without running them. Layouts: ifinfomsg (16 bytes), ifaddrmsg (8), rtmsg (12).
/// </summary>
public sealed class RtNetlink : IDisposable
{
    private readonly NetlinkSocket _socket = NetlinkSocket.OpenRoute();

    /// <summary>All interfaces.</summary>
    public List<LinkInfo> GetLinks()
    {
        var links = new List<LinkInfo>();
        var seq = _socket.NextSequence();
        var request = new NetlinkWriter(Rtnl.RtmGetLink, Rtnl.FRequest | Rtnl.FDump, seq).Bytes(stackalloc byte[16]);
        _socket.Dump(request, seq, "RTM_GETLINK", (type, body) =>
        {
            if (type != Rtnl.RtmNewLink || body.Length < 16)
            {
                return;
            }
            var hardwareType = MemoryMarshal.Read<ushort>(body[2..]);
            var index = MemoryMarshal.Read<int>(body[4..]);
            var flags = MemoryMarshal.Read<uint>(body[8..]);
            string name = "";
            byte[] mac = [];
            var altNames = new List<string>();
            NetlinkAttributes.ForEach(body[16..], (attr, payload) =>
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
        Span<byte> ifaddrmsg = stackalloc byte[8];
        ifaddrmsg[0] = Family(family);
        var request = new NetlinkWriter(Rtnl.RtmGetAddr, Rtnl.FRequest | Rtnl.FDump, seq).Bytes(ifaddrmsg);
        _socket.Dump(request, seq, "RTM_GETADDR", (type, body) =>
        {
            if (type != Rtnl.RtmNewAddr || body.Length < 8 || body[0] != Family(family))
            {
                return;
            }
            var prefix = body[1];
            uint flags = body[2];
            var index = MemoryMarshal.Read<int>(body[4..]);
            IPAddress? address = null, local = null, broadcast = null;
            string? label = null;
            NetlinkAttributes.ForEach(body[8..], (attr, payload) =>
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
        Span<byte> rtmsg = stackalloc byte[12];
        rtmsg[0] = Family(family);
        var request = new NetlinkWriter(Rtnl.RtmGetRoute, Rtnl.FRequest | Rtnl.FDump, seq).Bytes(rtmsg);
        _socket.Dump(request, seq, "RTM_GETROUTE", (type, body) =>
        {
            if (type != Rtnl.RtmNewRoute || body.Length < 12 || body[0] != Family(family) || body[7] != Rtnl.RtnUnicast)
            {
                return;
            }
            var prefix = body[1];
            uint table = body[4];
            var scope = body[6];
            IPAddress? destination = null;
            int oif = 0;
            uint metric = 0;
            NetlinkAttributes.ForEach(body[12..], (attr, payload) =>
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
            .Bytes(IfAddrMsg(a.Address, a.PrefixLength, a.Index, (byte)a.Flags));
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
            // ifa_cacheinfo: preferred, valid, cstamp, tstamp (the last two are output only).
            Span<byte> cacheinfo = stackalloc byte[16];
            var preferred = a.PreferredLifetime;
            MemoryMarshal.Write(cacheinfo, in preferred);
            var valid = uint.MaxValue;
            MemoryMarshal.Write(cacheinfo[4..], in valid);
            request.Attribute(Rtnl.IfaCacheinfo, cacheinfo);
        }
        _socket.Request(request, seq, $"add {a.Address}/{a.PrefixLength}");
    }

    /// <summary>Deletes an address exactly as listed (address and prefix length must match).</summary>
    public void DeleteAddress(AddressInfo a)
    {
        var isV6 = a.Address.AddressFamily == AddressFamily.InterNetworkV6;
        var seq = _socket.NextSequence();
        var request = new NetlinkWriter(Rtnl.RtmDelAddr, Rtnl.FRequest | Rtnl.FAck, seq)
            .Bytes(IfAddrMsg(a.Address, a.PrefixLength, a.Index, 0));
        Span<byte> bytes = stackalloc byte[16];
        a.Address.TryWriteBytes(bytes, out var n);
        request.Attribute(isV6 ? Rtnl.IfaAddress : Rtnl.IfaLocal, bytes[..n]);
        _socket.Request(request, seq, $"delete {a.Address}/{a.PrefixLength}");
    }

    /// <inheritdoc/>
    public void Dispose() => _socket.Dispose();

    private static byte[] IfAddrMsg(IPAddress address, int prefix, int index, byte flags)
    {
        // ifaddrmsg: family, prefixlen, flags, scope (0 = universe), index.
        var msg = new byte[8];
        msg[0] = Family(address.AddressFamily);
        msg[1] = (byte)prefix;
        msg[2] = flags;
        MemoryMarshal.Write(msg.AsSpan(4), in index);
        return msg;
    }

    private static byte Family(AddressFamily family) =>
        family == AddressFamily.InterNetworkV6 ? (byte)LinuxSocket.AfInet6 : (byte)LinuxSocket.AfInet;
}
