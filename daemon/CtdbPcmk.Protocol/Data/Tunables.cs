// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics.CodeAnalysis;

namespace CtdbPcmk.Protocol;

/// <summary>
/// The tunables of CTDB 4.17: name, default, whether it is obsolete (still accepted by
/// GET_TUNABLE/SET_TUNABLE, SET answers 1, never listed) and its slot in
/// struct ctdb_tunable_list (the GET_ALL_TUNABLES layout). Names match case-insensitively.
/// </summary>
public static class Tunables
{
    /// <summary>Number of u32 slots in struct ctdb_tunable_list.</summary>
    public const int SlotCount = 62;

    /// <summary>
    /// Every known tunable in ctdbd's table order; the non-obsolete ones in this order are the
    /// LIST_TUNABLES order.
    /// </summary>
    public static IReadOnlyList<TunableInfo> All { get; } =
    [
        new("MaxRedirectCount", 3, true, 0),
        new("SeqnumInterval", 1000, false, 1),
        new("ControlTimeout", 60, false, 2),
        new("TraverseTimeout", 20, false, 3),
        new("KeepaliveInterval", 5, false, 4),
        new("KeepaliveLimit", 5, false, 5),
        new("RecoverTimeout", 30, false, 6),
        new("RecoverInterval", 1, false, 7),
        new("ElectionTimeout", 3, false, 8),
        new("TakeoverTimeout", 9, false, 9),
        new("MonitorInterval", 15, false, 10),
        new("TickleUpdateInterval", 20, false, 11),
        new("EventScriptTimeout", 30, false, 12),
        new("MonitorTimeoutCount", 20, false, 13),
        new("EventScriptUnhealthyOnTimeout", 0, true, 14),
        new("RecoveryGracePeriod", 120, false, 15),
        new("RecoveryBanPeriod", 300, false, 16),
        new("DatabaseHashSize", 100001, false, 17),
        new("DatabaseMaxDead", 5, false, 18),
        new("RerecoveryTimeout", 10, false, 19),
        new("EnableBans", 1, false, 20),
        new("DeterministicIPs", 0, true, 21),
        new("LCP2PublicIPs", 1, true, 41),
        new("ReclockPingPeriod", 60, true, 22),
        new("NoIPFailback", 0, false, 23),
        new("DisableIPFailover", 0, true, 24),
        new("VerboseMemoryNames", 0, false, 25),
        new("RecdPingTimeout", 60, false, 26),
        new("RecdFailCount", 10, false, 27),
        new("LogLatencyMs", 0, false, 28),
        new("RecLockLatencyMs", 1000, false, 29),
        new("RecoveryDropAllIPs", 120, false, 30),
        new("VerifyRecoveryLock", 1, true, 31),
        new("VacuumInterval", 10, false, 32),
        new("VacuumMaxRunTime", 120, false, 33),
        new("RepackLimit", 10000, false, 34),
        new("VacuumLimit", 5000, true, 35),
        new("VacuumFastPathCount", 60, false, 40),
        new("MaxQueueDropMsg", 1000000, false, 36),
        new("AllowUnhealthyDBRead", 0, false, 37),
        new("StatHistoryInterval", 1, false, 38),
        new("DeferredAttachTO", 120, false, 39),
        new("AllowClientDBAttach", 1, false, 42),
        new("RecoverPDBBySeqNum", 1, true, 43),
        new("DeferredRebalanceOnNodeAdd", 300, true, 44),
        new("FetchCollapse", 1, false, 45),
        new("HopcountMakeSticky", 50, false, 46),
        new("StickyDuration", 600, false, 47),
        new("StickyPindown", 200, false, 48),
        new("NoIPTakeover", 0, false, 49),
        new("DBRecordCountWarn", 100000, false, 50),
        new("DBRecordSizeWarn", 10000000, false, 51),
        new("DBSizeWarn", 100000000, false, 52),
        new("PullDBPreallocation", 10485760, false, 53),
        new("NoIPHostOnAllDisabled", 1, true, 54),
        new("Samba3AvoidDeadlocks", 0, true, 55),
        new("TDBMutexEnabled", 1, true, 56),
        new("LockProcessesPerDB", 200, false, 57),
        new("RecBufferSizeLimit", 1000000, false, 58),
        new("QueueBufferSize", 1024, false, 59),
        new("IPAllocAlgorithm", 2, false, 60),
        new("AllowMixedVersions", 0, false, 61),
    ];

    /// <summary>The 49 current tunables in LIST_TUNABLES order.</summary>
    public static IReadOnlyList<TunableInfo> Current { get; } = All.Where(t => !t.Obsolete).ToArray();

    /// <summary>LIST_TUNABLES reply content.</summary>
    public static VarList Names { get; } = new(Current.Select(t => t.Name).ToArray());

    private static readonly Dictionary<string, TunableInfo> s_byName =
        All.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Case-insensitive lookup, current and obsolete names alike.</summary>
    public static bool TryFind(string name, [MaybeNullWhen(false)] out TunableInfo tunable) =>
        s_byName.TryGetValue(name, out tunable);
}
