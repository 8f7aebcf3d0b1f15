// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Conntrack;

/// <summary>The parameters of ocf:ctdb:conntrack, declared once (checked against ocf-metadata/conntrack.xml).</summary>
internal static class ConntrackParameters
{
    public const string CtdbSocket = "ctdb_socket";
    public const string Addresses = "addresses";
    public const string Ports = "ports";
    public const string CommitInterval = "commit_interval";
    public const string MaxConnections = "max_connections";
    public const string ControlSocket = "control_socket";
    public const string StateDir = "state_dir";
    public const string Conntrackd = "conntrackd";
    public const string ConntrackdConfig = "conntrackd_config";
    public const string ConntrackdInterface = "conntrackd_interface";
    public const string ConntrackdGroup = "conntrackd_group";
    public const string ConntrackdPort = "conntrackd_port";

    public static IReadOnlyList<OcfParameter> All { get; } =
    [
        new(CtdbSocket, OcfParameterType.String, "/run/ctdb/ctdbd.socket"),
        new(Addresses, OcfParameterType.String, ""),
        new(Ports, OcfParameterType.String, ""),
        new(CommitInterval, OcfParameterType.String, "1"),
        new(MaxConnections, OcfParameterType.Integer, "200000"),
        new(ControlSocket, OcfParameterType.String, "/run/ctdb/conntrack.sock"),
        new(StateDir, OcfParameterType.String, "/run/ctdb"),
        new(Conntrackd, OcfParameterType.Boolean, "false"),
        new(ConntrackdConfig, OcfParameterType.String, ""),
        new(ConntrackdInterface, OcfParameterType.String, ""),
        new(ConntrackdGroup, OcfParameterType.String, "225.0.0.50"),
        new(ConntrackdPort, OcfParameterType.Integer, "3780"),
    ];
}
