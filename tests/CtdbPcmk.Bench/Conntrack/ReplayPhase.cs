// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Bench.Conntrack;

/// <summary>What one replay phase measured.</summary>
internal sealed record ReplayPhase(
    string Name,
    long Events,
    TimeSpan Wall,
    TimeSpan TrackerCpu,
    TimeSpan ProcessCpu,
    TimeSpan Node0Cpu,
    TimeSpan Node1Cpu,
    long Committed,
    long Commits,
    TimeSpan? VisibleOnNode1)
{
    public double EventsPerSecond => Events / Wall.TotalSeconds;

    /// <summary>The tracker thread's share of one core.</summary>
    public double TrackerCores => TrackerCpu / Wall;

    public double ProcessCores => ProcessCpu / Wall;

    public double Node0Cores => Node0Cpu / Wall;

    public double Node1Cores => Node1Cpu / Wall;

    /// <summary>Events per second counted to the moment node 1 had the last of them.</summary>
    public double? ReplicatedPerSecond => VisibleOnNode1 is { } v ? Events / (Wall + v).TotalSeconds : null;
}
