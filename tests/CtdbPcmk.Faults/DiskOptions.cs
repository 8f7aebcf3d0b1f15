// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Faults;

/// <summary>Settings of one disk-fault run; <see cref="Short"/>: one commit per node and phase, 10 s for each.</summary>
internal sealed record DiskOptions(DaemonKind Daemon, string EvidenceRoot, bool Short = false)
{
    public int CommitsPerNode => Short ? 1 : 3;

    public TimeSpan CommitLimit => TimeSpan.FromSeconds(Short ? 10 : 25);

    public const string Db = "fault_disk.tdb";
    public const int Nodes = 3;

    /// <summary>The node whose database directories get the small file system.</summary>
    public const int Victim = 1;

    /// <summary>Size of the ext4 image (MB): room for real ctdbd's mutex-laden volatile files.</summary>
    public const int ImageMb = 32;

    public static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(90);
}
