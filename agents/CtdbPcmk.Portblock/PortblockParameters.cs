// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Portblock;

/// <summary>The parameters of ocf:ctdb:portblock, declared once (checked against ocf-metadata/portblock.xml).</summary>
internal static class PortblockParameters
{
    public const string Protocol = "protocol";
    public const string PortNo = "portno";
    public const string Action = "action";
    public const string Ip = "ip";
    public const string Direction = "direction";
    public const string Firewall = "firewall";
    public const string ResetLocalOnUnblockStop = "reset_local_on_unblock_stop";
    public const string BlockOnUnblockStop = "block_on_unblock_stop";
    public const string TickleDir = "tickle_dir";
    public const string SyncScript = "sync_script";
    public const string CtdbSocket = "ctdb_socket";

    public static IReadOnlyList<OcfParameter> All { get; } =
    [
        new(Protocol, OcfParameterType.String, Required: true),
        new(PortNo, OcfParameterType.String, Required: true),
        new(Action, OcfParameterType.String, Required: true),
        new(Ip, OcfParameterType.String, "0.0.0.0/0"),
        new(Direction, OcfParameterType.String, "in"),
        new(Firewall, OcfParameterType.String, "auto"),
        new(ResetLocalOnUnblockStop, OcfParameterType.Boolean, "false"),
        new(BlockOnUnblockStop, OcfParameterType.Boolean, "true"),
        new(TickleDir, OcfParameterType.String, ""),
        new(SyncScript, OcfParameterType.String, ""),
        new(CtdbSocket, OcfParameterType.String, "/run/ctdb/ctdbd.socket"),
    ];
}
