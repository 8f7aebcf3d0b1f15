// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Nfs;

/// <summary>The parameters of ocf:ctdb:nfs, declared once (checked against ocf-metadata/nfs.xml).</summary>
internal static class NfsParameters
{
    public const string Config = "config";
    public const string Binary = "binary";
    public const string NodeId = "node_id";
    public const string DBusAddress = "dbus_address";
    public const string LogFile = "log_file";
    public const string LogLevel = "log_level";
    public const string Options = "options";
    public const string ProbeTimeout = "probe_timeout";

    public static IReadOnlyList<OcfParameter> All { get; } =
    [
        new(Config, OcfParameterType.String, "/etc/ganesha/ganesha.conf"),
        new(Binary, OcfParameterType.String, "/usr/bin/ganesha.nfsd"),
        new(NodeId, OcfParameterType.Integer),
        new(DBusAddress, OcfParameterType.String, ""),
        new(LogFile, OcfParameterType.String, "/var/log/ganesha/ganesha.log"),
        new(LogLevel, OcfParameterType.String, "NIV_EVENT"),
        new(Options, OcfParameterType.String, ""),
        new(ProbeTimeout, OcfParameterType.Integer, "5"),
    ];
}
