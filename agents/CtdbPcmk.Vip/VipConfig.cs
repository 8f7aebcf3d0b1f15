// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Vip;

/// <summary>
/// The vip parameters, parsed and checked for syntax only (no host state): every error here is
/// a configuration error (OCF_ERR_CONFIGURED) whatever node runs the agent.
/// </summary>
internal sealed record VipConfig
{
    /// <summary>"forever" as an rtnetlink lifetime.</summary>
    public const uint Forever = uint.MaxValue;

    /// <summary>Longest interface name (IFNAMSIZ - 1).</summary>
    public const int MaxNameLength = 15;

    public required IPAddress Address { get; init; }
    public string? Nic { get; init; }
    public int? PrefixLength { get; init; }
    public BroadcastMode BroadcastMode { get; init; }
    public IPAddress? Broadcast { get; init; }
    public string? Label { get; init; }
    public uint PreferredLifetime { get; init; } = Forever;
    public bool NoDad { get; init; }
    public bool NoPrefixRoute { get; init; }
    public int ArpCount { get; init; }
    public int ArpIntervalMs { get; init; }
    public bool ArpBackground { get; init; }
    public bool CheckLinkStatus { get; init; }
    /// <summary>Socket of the local CTDB daemon; empty when the daemon is not to be told.</summary>
    public string CtdbSocket { get; init; } = "";
    /// <summary>Control socket of the node's connection tracker (ocf:ctdb:conntrack); empty when it is not to be asked.</summary>
    public string ConntrackSocket { get; init; } = "";

    /// <summary>NFS-Ganesha grace on take-over and release of the address (ocf:ctdb:nfs on this node).</summary>
    public bool NfsGrace { get; init; }

    public bool IsIPv6 => Address.AddressFamily == AddressFamily.InterNetworkV6;
    public int MaxPrefix => IsIPv6 ? 128 : 32;

    /// <summary>Reads and checks every parameter (so that all declared parameters are read).</summary>
    public static VipConfig Parse(OcfParameters p, OcfLog log)
    {
        var address = ParseAddress(p.GetRequired(VipParameters.Ip));
        var isV6 = address.AddressFamily == AddressFamily.InterNetworkV6;

        var nic = Empty(p.GetString(VipParameters.Nic));
        if (nic is not null)
        {
            if (nic.Contains(':'))
            {
                throw OcfException.Configured($"nic '{nic}': give the base interface, not an alias (use iflabel for labels)");
            }
            if (nic.Length > MaxNameLength || nic.Contains('/') || nic.Any(char.IsWhiteSpace))
            {
                throw OcfException.Configured($"nic '{nic}' is not a valid interface name");
            }
        }
        if (isV6 && address.IsIPv6LinkLocal && nic is null)
        {
            throw OcfException.Configured($"ip {address}: a link-local IPv6 address requires nic");
        }

        var prefix = ParsePrefix(p.GetString(VipParameters.CidrNetmask), isV6, log);

        var (mode, broadcast) = ParseBroadcast(p.GetString(VipParameters.Broadcast), isV6);

        var label = Empty(p.GetString(VipParameters.IfLabel));
        if (label is not null && !isV6)
        {
            if (label.Any(c => char.IsWhiteSpace(c) || c == '/' || c == ':'))
            {
                throw OcfException.Configured($"iflabel '{label}' may not contain spaces, '/' or ':'");
            }
            // The full label is "<interface>:<iflabel>"; the interface name is checked once known.
            if (label.Length + 2 > MaxNameLength)
            {
                throw OcfException.Configured($"iflabel '{label}' is too long: '<nic>:{label}' exceeds {MaxNameLength} characters");
            }
        }
        else if (label is not null)
        {
            log.Warning("iflabel is ignored for IPv6 addresses");
            label = null;
        }

        var lft = p.GetString(VipParameters.PreferredLft);
        uint preferred;
        if (lft.Length == 0 || lft == "forever")
        {
            preferred = Forever;
        }
        else if (!uint.TryParse(lft, NumberStyles.None, CultureInfo.InvariantCulture, out preferred) || preferred == Forever)
        {
            throw OcfException.Configured($"preferred_lft '{lft}' must be a number of seconds or 'forever'");
        }

        return new VipConfig
        {
            Address = address,
            Nic = nic,
            PrefixLength = prefix,
            BroadcastMode = mode,
            Broadcast = broadcast,
            Label = label,
            PreferredLifetime = preferred,
            NoDad = p.GetBoolean(VipParameters.NoDad),
            NoPrefixRoute = p.GetBoolean(VipParameters.NoPrefixRoute),
            ArpCount = p.GetInt32(VipParameters.ArpCount, 0, 1000) ?? 0,
            ArpIntervalMs = p.GetInt32(VipParameters.ArpInterval, 0, 60_000) ?? 0,
            ArpBackground = p.GetBoolean(VipParameters.ArpBackground),
            CheckLinkStatus = p.GetBoolean(VipParameters.CheckLinkStatus),
            CtdbSocket = p.GetString(VipParameters.CtdbSocket),
            ConntrackSocket = p.GetString(VipParameters.ConntrackSocket),
            NfsGrace = p.GetBoolean(VipParameters.NfsGrace),
        };
    }

    /// <summary>
    /// Strict address syntax: four decimal octets for IPv4 (IPAddress.Parse would also take "10.1"
    /// or hexadecimal parts), colon-hexadecimal for IPv6, no prefix and no zone index.
    /// </summary>
    public static IPAddress ParseAddress(string text)
    {
        if (text.Contains(':'))
        {
            if (text.Contains('%') || text.Contains('/') || !IPAddress.TryParse(text, out var v6)
                || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                throw OcfException.Configured($"ip '{text}' is not a valid IPv6 address");
            }
            if (v6.Equals(IPAddress.IPv6Any) || v6.Equals(IPAddress.IPv6Loopback) || v6.IsIPv6Multicast)
            {
                throw OcfException.Configured($"ip '{text}' cannot be used as a virtual address");
            }
            return v6;
        }
        if (!TryParseIPv4(text, out var v4))
        {
            throw OcfException.Configured($"ip '{text}' is not a valid IPv4 address");
        }
        var bytes = v4.GetAddressBytes();
        if (bytes[0] == 0 || bytes[0] >= 224)
        {
            throw OcfException.Configured($"ip '{text}' cannot be used as a virtual address");
        }
        return v4;
    }

    private static int? ParsePrefix(string text, bool isV6, OcfLog log)
    {
        if (text.Length == 0)
        {
            return null;
        }
        var max = isV6 ? 128 : 32;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            if (n < 1 || n > max)
            {
                throw OcfException.Configured($"cidr_netmask {n} is out of range 1-{max}");
            }
            return n;
        }
        if (!isV6 && text.Count(c => c == '.') == 3)
        {
            if (!TryParseIPv4(text, out var mask))
            {
                throw OcfException.Configured($"cidr_netmask '{text}' is not a netmask");
            }
            var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(mask.GetAddressBytes());
            var ones = System.Numerics.BitOperations.PopCount(value);
            if (ones == 0 || value != uint.MaxValue << (32 - ones))
            {
                throw OcfException.Configured($"cidr_netmask '{text}' is not a contiguous netmask");
            }
            log.Warning($"cidr_netmask '{text}' given as a netmask; use the prefix length {ones}");
            return ones;
        }
        throw OcfException.Configured($"cidr_netmask '{text}' is not a prefix length");
    }

    private static (BroadcastMode, IPAddress?) ParseBroadcast(string text, bool isV6)
    {
        switch (text)
        {
            case "":
                return (BroadcastMode.Auto, null);
            case "+":
                return (BroadcastMode.Derive, null);
            case "-":
                return (BroadcastMode.None, null);
        }
        if (isV6)
        {
            throw OcfException.Configured("broadcast is not used with IPv6 addresses");
        }
        if (!TryParseIPv4(text, out var broadcast))
        {
            throw OcfException.Configured($"broadcast '{text}' is not an IPv4 address, '+' or '-'");
        }
        return (BroadcastMode.Explicit, broadcast);
    }

    /// <summary>Four decimal octets and nothing else.</summary>
    public static bool TryParseIPv4(string text, out IPAddress address)
    {
        address = IPAddress.None;
        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }
        Span<byte> bytes = stackalloc byte[4];
        for (var i = 0; i < 4; i++)
        {
            if (parts[i].Length is 0 or > 3
                || !byte.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i]))
            {
                return false;
            }
        }
        address = new IPAddress(bytes);
        return true;
    }

    private static string? Empty(string value) => value.Length == 0 ? null : value;
}
