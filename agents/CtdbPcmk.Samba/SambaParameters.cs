// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Samba;

/// <summary>The parameters of ocf:ctdb:samba, declared once (checked against ocf-metadata/samba.xml).</summary>
internal static class SambaParameters
{
    public const string Config = "config";
    public const string Services = "services";
    public const string CtdbSocket = "ctdb_socket";
    public const string SmbdOptions = "smbd_options";
    public const string NmbdOptions = "nmbd_options";
    public const string WinbinddOptions = "winbindd_options";
    public const string SbinDir = "sbin_dir";
    public const string NegotiateTimeout = "negotiate_timeout";
    public const string ClusterWait = "cluster_wait";
    public const string ServiceManager = "service_manager";
    public const string SystemdUnits = "systemd_units";
    public const string DBusAddress = "dbus_address";

    public static IReadOnlyList<OcfParameter> All { get; } =
    [
        new(Config, OcfParameterType.String, "/etc/samba/smb.conf"),
        new(Services, OcfParameterType.String, ""),
        new(CtdbSocket, OcfParameterType.String, "/run/ctdb/ctdbd.socket"),
        new(SmbdOptions, OcfParameterType.String, ""),
        new(NmbdOptions, OcfParameterType.String, ""),
        new(WinbinddOptions, OcfParameterType.String, ""),
        new(SbinDir, OcfParameterType.String, "/usr/sbin"),
        new(NegotiateTimeout, OcfParameterType.Integer, "5"),
        new(ClusterWait, OcfParameterType.Integer, "60"),
        new(ServiceManager, OcfParameterType.String, "direct"),
        new(SystemdUnits, OcfParameterType.String, ""),
        new(DBusAddress, OcfParameterType.String, ""),
    ];
}
