// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using System.Net.Sockets;
using System.Text;
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Controls;

namespace CtdbPcmk.Server.PublicAddresses;

/// <summary>
/// The public addresses this node knows (ctdbd's vnn list): which node holds each one, which
/// local interface may host it, and the TCP connections to it, replicated from the holder to
/// every node so that whoever takes the address over can tickle its clients. Controls reach it
/// through the daemon's dispatch; it runs on the event loop thread only.
/// </summary>
internal sealed partial class PublicAddressTable
{
    /// <summary>Longest interface name ctdb carries (CTDB_IFACE_SIZE).</summary>
    private const int MaxInterfaceName = 16;

    private readonly PublicAddressHost _host;
    private readonly ITakeoverAnnouncer _announcer;
    private readonly Dictionary<IPAddress, PublicAddress> _addresses = new();

    public PublicAddressTable(PublicAddressHost host, ITakeoverAnnouncer announcer)
    {
        _host = host;
        _announcer = announcer;
    }

    private uint Self => _host.Pnn();

    private Serilog.ILogger Log => _host.Log;

    /// <summary>ADD_PUBLIC_IP: this node may host the address on the interface named. Adding again updates it.</summary>
    public ControlReply AddPublicIp(ReadOnlySpan<byte> data)
    {
        var info = AddrInfo.Read(data);
        var address = Canonical(info.Address.Address);
        uint maxPrefix = address.AddressFamily == AddressFamily.InterNetwork ? 32u : 128u;
        if (info.Iface.Length == 0 || Encoding.UTF8.GetByteCount(info.Iface) > MaxInterfaceName || info.Iface.Contains(','))
        {
            return ControlReply.Failed($"invalid interface name '{info.Iface}' for public address {address}");
        }
        if (info.Mask > maxPrefix)
        {
            return ControlReply.Failed($"invalid prefix length {info.Mask} for public address {address}");
        }
        var entry = GetOrAdd(address);
        if (entry.Interface != info.Iface || entry.PrefixLength != info.Mask)
        {
            Log.Information("Public address {Address}/{Prefix} on interface {Iface}", address, info.Mask, info.Iface);
        }
        entry.Interface = info.Iface;
        entry.PrefixLength = info.Mask;
        return ControlReply.Ok;
    }

    /// <summary>
    /// DEL_PUBLIC_IP: forgets the address unless this node holds it. An address another node
    /// holds stays known (with its connections), only without a local interface.
    /// </summary>
    public ControlReply DelPublicIp(ReadOnlySpan<byte> data)
    {
        var address = Canonical(AddrInfo.Read(data).Address.Address);
        if (!_addresses.TryGetValue(address, out var entry))
        {
            return ControlReply.Ok;
        }
        if (entry.Holder == Self)
        {
            return ControlReply.Failed($"public address {address} is held by this node: release it first");
        }
        if (entry.Holder != WireFormat.UnknownPnn)
        {
            entry.Interface = null;
        }
        else
        {
            entry.StopAnnouncing();
            _addresses.Remove(address);
        }
        Log.Information("Public address {Address} removed from this node", address);
        return ControlReply.Ok;
    }

    /// <summary>
    /// TAKEOVER_IP: for this node, the address is now hosted here (it must have been added here
    /// first): local clients get TAKE_IP, the other nodes are told, and the announcements start.
    /// For another node, the address is recorded as held there.
    /// </summary>
    public ControlReply TakeoverIp(ReadOnlySpan<byte> data)
    {
        var ip = PublicIp.Read(data);
        var address = Canonical(ip.Address.Address);
        if (ip.Pnn != Self)
        {
            var known = GetOrAdd(address);
            if (known.Holder == Self)
            {
                Log.Warning("Node {Pnn} took public address {Address} which this node holds", ip.Pnn, address);
                known.StopAnnouncing();
            }
            known.Holder = ip.Pnn;
            return ControlReply.Ok;
        }
        if (!_addresses.TryGetValue(address, out var entry) || entry.Interface is null)
        {
            return ControlReply.Failed($"public address {address} was not added on node {Self}");
        }
        bool moved = entry.Holder != Self;
        entry.Holder = Self;
        Log.Information("Public address {Address} taken over on {Iface}", address, entry.Interface);
        _host.DeliverLocal(Srvid.TakeIp, AddressString(address));
        var announce = Encode(new PublicIp(Self, new IPEndPoint(address, 0)));
        foreach (uint pnn in _host.ConnectedPeers())
        {
            _host.SendControl(pnn, ControlOpcode.TakeoverIp, announce);
        }
        if (moved && entry.Connections.Count > 0)
        {
            // The lists the other nodes have came from the previous holder; ours is now the reference.
            entry.Changed = true;
            ScheduleFlush();
        }
        StartAnnouncing(entry);
        return ControlReply.Ok;
    }

    /// <summary>
    /// RELEASE_IP: if this node holds the address, the given node (or nobody) does from now on:
    /// local clients get RELEASE_IP (smbd drops the connections to it) and the other nodes are
    /// told. Otherwise the given holder is recorded; "nobody" only clears the holder when the node
    /// that held it says so.
    /// </summary>
    public ControlReply ReleaseIp(ReadOnlySpan<byte> data, uint srcNode)
    {
        var ip = PublicIp.Read(data);
        var address = Canonical(ip.Address.Address);
        if (!_addresses.TryGetValue(address, out var entry))
        {
            if (ip.Pnn != WireFormat.UnknownPnn && ip.Pnn != Self)
            {
                GetOrAdd(address).Holder = ip.Pnn;
            }
            return ControlReply.Ok;
        }
        if (entry.Holder != Self)
        {
            if (ip.Pnn != WireFormat.UnknownPnn && ip.Pnn != Self)
            {
                entry.Holder = ip.Pnn;
            }
            else if (ip.Pnn == WireFormat.UnknownPnn && entry.Holder == srcNode)
            {
                entry.Holder = WireFormat.UnknownPnn;
            }
            return ControlReply.Ok;
        }
        entry.StopAnnouncing();
        entry.Holder = ip.Pnn == Self ? WireFormat.UnknownPnn : ip.Pnn;
        Log.Information("Public address {Address} released (new holder {Pnn})", address, (int)entry.Holder);
        _host.DeliverLocal(Srvid.ReleaseIp, AddressString(address));
        var release = Encode(new PublicIp(entry.Holder, new IPEndPoint(address, 0)));
        foreach (uint pnn in _host.ConnectedPeers())
        {
            _host.SendControl(pnn, ControlOpcode.ReleaseIp, release);
        }
        return ControlReply.Ok;
    }

    /// <summary>GET_PUBLIC_IPS: every known address with its holder; with ONLY_AVAILABLE, only those with a local interface.</summary>
    public ControlReply GetPublicIps(uint controlFlags)
    {
        bool onlyAvailable = (controlFlags & PublicIpFlagsOnlyAvailable) != 0;
        var ips = _addresses.Values
            .Where(a => !onlyAvailable || a.Interface is not null)
            .Select(a => new PublicIp(a.Holder, new IPEndPoint(a.Address, 0)))
            .ToArray();
        var list = new PublicIpList(ips);
        var output = new byte[list.EncodedSize];
        list.Write(output);
        return ControlReply.WithData(output);
    }

    /// <summary>GET_PUBLIC_IP_INFO: holder and local interface of one address; -1 for an address not known here.</summary>
    public ControlReply GetPublicIpInfo(ReadOnlySpan<byte> data)
    {
        var address = Canonical(SockAddr.Read(data).Address);
        if (!_addresses.TryGetValue(address, out var entry))
        {
            return ControlReply.Failed($"{address} is not a public address");
        }
        var ifaces = entry.Interface is null ? Array.Empty<Iface>() : new[] { DescribeInterface(entry.Interface) };
        uint active = entry.Interface is not null && entry.Holder == Self ? 0 : WireFormat.UnknownPnn;
        var info = new PublicIpInfo(new PublicIp(entry.Holder, new IPEndPoint(address, 0)), active, ifaces);
        var output = new byte[info.EncodedSize];
        info.Write(output);
        return ControlReply.WithData(output);
    }

    /// <summary>GET_IFACES: the interfaces public addresses were added on, with link state and use count.</summary>
    public ControlReply GetIfaces()
    {
        var names = _addresses.Values.Select(a => a.Interface).OfType<string>().Distinct(StringComparer.Ordinal);
        var list = new IfaceList(names.Select(DescribeInterface).ToArray());
        var output = new byte[list.EncodedSize];
        list.Write(output);
        return ControlReply.WithData(output);
    }

    /// <summary>A link to <paramref name="pnn"/> came up: it learns every address held here and its connections.</summary>
    public void OnNodeConnected(uint pnn)
    {
        foreach (var entry in _addresses.Values.Where(a => a.Holder == Self))
        {
            _host.SendControl(pnn, ControlOpcode.TakeoverIp, Encode(new PublicIp(Self, new IPEndPoint(entry.Address, 0))));
            _host.SendControl(pnn, ControlOpcode.SetTcpTickleList, Encode(entry.ToTickleList()));
        }
    }

    /// <summary>Node <paramref name="pnn"/> left: its addresses have no holder now; their connections stay for the next one.</summary>
    public void OnNodeGone(uint pnn)
    {
        foreach (var entry in _addresses.Values.Where(a => a.Holder == pnn))
        {
            entry.Holder = WireFormat.UnknownPnn;
            Log.Information("Public address {Address} was held by node {Pnn}, which left: holder unknown", entry.Address, pnn);
        }
    }

    /// <summary>CTDB_PUBLIC_IP_FLAGS_ONLY_AVAILABLE in a GET_PUBLIC_IPS control's flags.</summary>
    public const uint PublicIpFlagsOnlyAvailable = 0x00010000;

    private Iface DescribeInterface(string name)
    {
        uint references = (uint)_addresses.Values.Count(a => a.Holder == Self && a.Interface == name);
        return new Iface(name, InterfaceLink.State(name), references);
    }

    private PublicAddress GetOrAdd(IPAddress address)
    {
        if (!_addresses.TryGetValue(address, out var entry))
        {
            entry = new PublicAddress(address);
            _addresses.Add(address, entry);
        }
        return entry;
    }

    /// <summary>
    /// The form addresses are compared in: IPv4-mapped IPv6 as IPv4 (as ctdbd canonicalises) and
    /// without a scope id.
    /// </summary>
    internal static IPAddress Canonical(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }
        return address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0
            ? new IPAddress(address.GetAddressBytes())
            : address;
    }

    /// <summary>The address as the TAKE_IP / RELEASE_IP messages carry it: text with its NUL.</summary>
    internal static byte[] AddressString(IPAddress address) => CString.Encode(address.ToString());

    private static byte[] Encode(PublicIp ip)
    {
        var data = new byte[PublicIp.Size];
        ip.Write(data);
        return data;
    }

    private static byte[] Encode(TickleList list)
    {
        var data = new byte[list.EncodedSize];
        list.Write(data);
        return data;
    }
}
