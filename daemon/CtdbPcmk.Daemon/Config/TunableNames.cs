// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Daemon.Config;

/// <summary>
/// Tunable names CTDB 4.17 lists (LIST_TUNABLES), and the obsolete names it still accepts but
/// ignores. Names are matched case-insensitively, as the ctdb tool does.
/// </summary>
internal static class TunableNames
{
    private static readonly string[] s_current =
    [
        "SeqnumInterval", "ControlTimeout", "TraverseTimeout", "KeepaliveInterval", "KeepaliveLimit",
        "RecoverTimeout", "RecoverInterval", "ElectionTimeout", "TakeoverTimeout", "MonitorInterval",
        "TickleUpdateInterval", "EventScriptTimeout", "MonitorTimeoutCount", "RecoveryGracePeriod",
        "RecoveryBanPeriod", "DatabaseHashSize", "DatabaseMaxDead", "RerecoveryTimeout", "EnableBans",
        "NoIPFailback", "VerboseMemoryNames", "RecdPingTimeout", "RecdFailCount", "LogLatencyMs",
        "RecLockLatencyMs", "RecoveryDropAllIPs", "VacuumInterval", "VacuumMaxRunTime", "RepackLimit",
        "VacuumFastPathCount", "MaxQueueDropMsg", "AllowUnhealthyDBRead", "StatHistoryInterval",
        "DeferredAttachTO", "AllowClientDBAttach", "FetchCollapse", "HopcountMakeSticky", "StickyDuration",
        "StickyPindown", "NoIPTakeover", "DBRecordCountWarn", "DBRecordSizeWarn", "DBSizeWarn",
        "PullDBPreallocation", "LockProcessesPerDB", "RecBufferSizeLimit", "QueueBufferSize",
        "IPAllocAlgorithm", "AllowMixedVersions",
    ];

    private static readonly string[] s_obsolete =
    [
        "MaxRedirectCount", "EventScriptUnhealthyOnTimeout", "DeterministicIPs", "LCP2PublicIPs",
        "ReclockPingPeriod", "DisableIPFailover", "VerifyRecoveryLock", "VacuumLimit",
        "RecoverPDBBySeqNum", "DeferredRebalanceOnNodeAdd", "NoIPHostOnAllDisabled",
        "Samba3AvoidDeadlocks", "TDBMutexEnabled",
    ];

    /// <summary>The canonical spelling of a current tunable, or null.</summary>
    public static string? Current(string name) =>
        Array.Find(s_current, n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The canonical spelling of an obsolete tunable, or null.</summary>
    public static string? Obsolete(string name) =>
        Array.Find(s_obsolete, n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
}
