// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Protocol;

/// <summary>Well-known message srvids (CTDB_SRVID_*, protocol.h) and the srvid ranges.</summary>
public static class Srvid
{
    /// <summary>Catch-all registration: receives every message delivered to the node.</summary>
    public const ulong All = 0xFFFFFFFFFFFFFFFF;

    /// <summary>Base of the recovery data srvids (DB_PULL/DB_PUSH); a per-run number is added.</summary>
    public const ulong Recovery = 0xF001000000000000;
    /// <summary>Banning credits; payload u32 pnn.</summary>
    public const ulong Banning = 0xF002000000000000;
    public const ulong Election = 0xF100000000000000;
    /// <summary>Leader announcement; payload u32 leader pnn (0xFFFFFFFF while electing).</summary>
    public const ulong Leader = 0xF101000000000000;
    public const ulong Reconfigure = 0xF200000000000000;
    /// <summary>Public IP released; payload NUL-terminated IP string. smbd drops clients of that IP.</summary>
    public const ulong ReleaseIp = 0xF300000000000000;
    /// <summary>Public IP taken; payload NUL-terminated IP string.</summary>
    public const ulong TakeIp = 0xF301000000000000;
    public const ulong SetNodeFlags = 0xF400000000000000;
    public const ulong RecdUpdateIp = 0xF500000000000000;
    public const ulong VacuumFetch = 0xF700000000000000;
    public const ulong DetachDatabase = 0xF701000000000000;
    public const ulong MemDump = 0xF800000000000000;
    public const ulong GetLog = 0xF801000000000000;
    public const ulong ClearLog = 0xF802000000000000;
    public const ulong PushNodeFlags = 0xF900000000000000;
    public const ulong ReloadNodes = 0xFA00000000000000;
    public const ulong TakeoverRun = 0xFB00000000000000;
    public const ulong RebalanceNode = 0xFB01000000000000;
    public const ulong DisableTakeoverRuns = 0xFB03000000000000;
    public const ulong DisableRecoveries = 0xFB04000000000000;
    public const ulong DisableIpCheck = 0xFC00000000000000;

    /// <summary>Samba notify (REGISTER_NOTIFY); unused by 4.17 smbd.</summary>
    public const ulong SambaNotify = 0xFE00000000000000;
    /// <summary>smbd notifyd broadcasts its record-change log here.</summary>
    public const ulong SambaNotifyProxy = 0xFE00000000000001;
    /// <summary>messaging_send_all: every Samba process registers this.</summary>
    public const ulong SambaProcess = 0xFE00000000000002;

    /// <summary>Top-byte ranges: 0x00 pid based, 0xFE Samba, 0xEE NFS, 0xDE iSCSI, 0xCE tool, 0xBE client library, 0xAE tests.</summary>
    public const ulong SambaRange = 0xFE00000000000000;
    public const ulong NfsdRange = 0xEE00000000000000;
    public const ulong IscsidRange = 0xDE00000000000000;
    public const ulong ToolRange = 0xCE00000000000000;
    public const ulong ClientRange = 0xBE00000000000000;
    public const ulong TestRange = 0xAE00000000000000;

    /// <summary>Tunnel id used by the test tunnel (CTDB_TUNNEL_TEST).</summary>
    public const ulong TunnelTest = 0xFFFFFFFF00000000;
}
