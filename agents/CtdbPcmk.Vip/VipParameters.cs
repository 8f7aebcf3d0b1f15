// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Vip;

/// <summary>The parameters of ocf:ctdb:vip, declared once (checked against ocf-metadata/vip.xml).</summary>
internal static class VipParameters
{
    public const string Ip = "ip";
    public const string Nic = "nic";
    public const string CidrNetmask = "cidr_netmask";
    public const string Broadcast = "broadcast";
    public const string IfLabel = "iflabel";
    public const string PreferredLft = "preferred_lft";
    public const string NoDad = "nodad";
    public const string NoPrefixRoute = "noprefixroute";
    public const string ArpCount = "arp_count";
    public const string ArpInterval = "arp_interval";
    public const string ArpBackground = "arp_bg";
    public const string CheckLinkStatus = "check_link_status";
    public const string CtdbSocket = "ctdb_socket";
    public const string ConntrackSocket = "conntrack_socket";
    public const string NfsGrace = "nfs_grace";

    public static IReadOnlyList<OcfParameter> All { get; } =
    [
        new(Ip, OcfParameterType.String, Required: true),
        new(Nic, OcfParameterType.String, ""),
        new(CidrNetmask, OcfParameterType.String, ""),
        new(Broadcast, OcfParameterType.String, ""),
        new(IfLabel, OcfParameterType.String, ""),
        new(PreferredLft, OcfParameterType.String, "forever"),
        new(NoDad, OcfParameterType.Boolean, "false"),
        new(NoPrefixRoute, OcfParameterType.Boolean, "false"),
        new(ArpCount, OcfParameterType.Integer, "5"),
        new(ArpInterval, OcfParameterType.Integer, "200"),
        new(ArpBackground, OcfParameterType.Boolean, "true"),
        new(CheckLinkStatus, OcfParameterType.Boolean, "true"),
        new(CtdbSocket, OcfParameterType.String, "/run/ctdb/ctdbd.socket"),
        new(ConntrackSocket, OcfParameterType.String, "/run/ctdb/conntrack.sock"),
        new(NfsGrace, OcfParameterType.Boolean, "false"),
    ];
}
