// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Bench.Scale;

/// <summary>
/// One measurement of the scale benchmark: a daemon, a cluster size and the records created so
/// far; the recovery after the loss of a node that is not the leader (SIGKILL until every other node is in a new
/// generation, recovery mode normal), a traverse through the daemon (ctdb catdb), the daemons'
/// resident memory (and its anonymous part: heap, not the mapped database files), and the
/// migration and message rates of the cluster size with the ring floor measured just before them.
/// </summary>
internal sealed record ScalePoint(string Daemon, int Nodes, long Records)
{
    public double? RecoverySeconds { get; set; }

    /// <summary>libtdb alone storing the surviving records on every surviving node at once (recovery-store-floor.c).</summary>
    public double? StoreFloorSeconds { get; set; }
    public double? TraverseSeconds { get; set; }
    public double? MeanRssAfterTraverseMiB { get; set; }
    public double? MeanRssMiB { get; set; }
    public double? MaxRssMiB { get; set; }
    public double? MeanAnonMiB { get; set; }
    public double? MigrationsPerSecond { get; set; }
    public double? MessagesPerSecond { get; set; }
    public double? FloorMigrationsPerSecond { get; set; }
    public double? FloorMessagesPerSecond { get; set; }
    public string? Error { get; set; }
}
