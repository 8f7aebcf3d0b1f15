// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Ctdbd;

/// <summary>The parameters of ocf:ctdb:ctdbd, declared once (checked against ocf-metadata/ctdbd.xml).</summary>
internal static class CtdbdParameters
{
    public const string ConfigFile = "ctdb_config_file";
    public const string ConfigDir = "ctdb_config_dir";
    public const string NodesFile = "ctdb_nodes_file";
    public const string NodeAddress = "ctdb_node_address";
    public const string Port = "ctdb_port";
    public const string Socket = "ctdb_socket";
    public const string RunDir = "ctdb_rundir";
    public const string DbDir = "ctdb_dbdir";
    public const string DbDirVolatile = "ctdb_dbdir_volatile";
    public const string DbDirPersistent = "ctdb_dbdir_persistent";
    public const string DbDirState = "ctdb_dbdir_state";
    public const string LogFile = "ctdb_logfile";
    public const string DebugLevel = "ctdb_debuglevel";
    public const string Tunables = "ctdb_tunables";
    public const string Timeout = "ctdb_timeout";
    public const string Binary = "ctdbd_binary";

    public static IReadOnlyList<OcfParameter> All { get; } =
    [
        new(ConfigFile, OcfParameterType.String, ""),
        new(ConfigDir, OcfParameterType.String, "/etc/ctdb"),
        new(NodesFile, OcfParameterType.String, ""),
        new(NodeAddress, OcfParameterType.String, ""),
        new(Port, OcfParameterType.Integer, "4379"),
        new(Socket, OcfParameterType.String, "/run/ctdb/ctdbd.socket"),
        new(RunDir, OcfParameterType.String, "/run/ctdb"),
        new(DbDir, OcfParameterType.String, "/var/lib/ctdb"),
        new(DbDirVolatile, OcfParameterType.String, ""),
        new(DbDirPersistent, OcfParameterType.String, ""),
        new(DbDirState, OcfParameterType.String, ""),
        new(LogFile, OcfParameterType.String, "/var/log/ctdb/log.ctdb"),
        new(DebugLevel, OcfParameterType.String, "NOTICE"),
        new(Tunables, OcfParameterType.String, ""),
        new(Timeout, OcfParameterType.Integer, "10"),
        new(Binary, OcfParameterType.String, ""),
    ];
}
