// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Faults;

/// <summary>Settings of one kill run; with a <see cref="Budget"/> no kill starts after that time (the checks still run).</summary>
internal sealed record KillOptions(
    DaemonKind Daemon,
    int Kills,
    int Seed,
    string EvidenceRoot,
    TimeSpan RecoveryLimit,
    TimeSpan? Budget = null)
{
    public const string PersistentDb = "fault_persistent.tdb";
    public const string ReplicatedDb = "fault_replicated.tdb";
    public const int Nodes = 3;
}
