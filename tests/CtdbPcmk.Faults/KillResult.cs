// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;

namespace CtdbPcmk.Faults;

/// <summary>The counts and verdict of one kill run.</summary>
internal sealed class KillResult
{
    public required DaemonKind Daemon { get; init; }

    public int Seed { get; init; }

    public int Kills { get; set; }

    public int LeaderKills { get; set; }

    public int MidCommitKills { get; set; }

    public int Issued { get; set; }

    public int Acked { get; set; }

    public int Unknown { get; set; }

    public int Checked { get; set; }

    /// <summary>Commits whose tool hung until the writer's limit (45 s) and was killed.</summary>
    public int Hung { get; set; }

    /// <summary>Log lines of calls that made many hops (a call going round between nodes).</summary>
    public int HopWarnings { get; set; }

    /// <summary>Commits after the run (one per node and database) that were not acknowledged.</summary>
    public int FinalCommitFailures { get; set; }

    public int Lost { get; set; }

    public int Resurrected { get; set; }

    public int Stale { get; set; }

    public int Unexpected { get; set; }

    public int CopyMismatches { get; set; }

    public int StatusProblems { get; set; }

    public int TdbChecked { get; set; }

    public int TdbCorrupt { get; set; }

    public List<double> DownRecoverySeconds { get; } = [];

    public List<double> RejoinSeconds { get; } = [];

    public TimeSpan Duration { get; set; }

    /// <summary>Why the run stopped early (a cluster that did not recover), or null.</summary>
    public string? Aborted { get; set; }

    /// <summary>Set when the run stopped killing at its time budget before the kills asked for.</summary>
    public string? StoppedByBudget { get; set; }

    public List<string> Problems { get; } = [];

    public string? EvidenceDir { get; set; }

    public bool Passed => Aborted is null && Lost + Resurrected + Stale + Unexpected + CopyMismatches + StatusProblems + TdbCorrupt + Hung + FinalCommitFailures == 0;

    public IEnumerable<string> Lines()
    {
        var inv = CultureInfo.InvariantCulture;
        yield return string.Create(inv, $"daemon: {Daemon.ToString().ToLowerInvariant()}  seed: {Seed}  verdict: {(Passed ? "PASS" : "FAIL")}");
        yield return string.Create(inv, $"kills: {Kills} (of the leader: {LeaderKills}, while a commit of the killed node was in flight: {MidCommitKills})");
        yield return string.Create(inv, $"commits issued: {Issued}, acknowledged: {Acked}, failed/unknown: {Unknown}");
        yield return string.Create(inv, $"commits hung until killed after 45 s: {Hung}; commits after the run not acknowledged: {FinalCommitFailures}; call hop warnings in the logs: {HopWarnings}");
        yield return string.Create(inv, $"keys checked with an acknowledged state (summed over the 3 nodes and both databases): {Checked}");
        yield return string.Create(inv, $"lost: {Lost}, resurrected: {Resurrected}, stale: {Stale}, unexpected: {Unexpected}, copy mismatches between nodes: {CopyMismatches}, ctdb status problems: {StatusProblems}");
        yield return string.Create(inv, $"tdbtool check: {TdbChecked} files, {TdbCorrupt} failed");
        yield return string.Create(inv, $"recovery after a kill: {Stats(DownRecoverySeconds)}; rejoin after restart: {Stats(RejoinSeconds)}");
        yield return string.Create(inv, $"duration: {Duration.TotalSeconds:F0} s");
        if (StoppedByBudget is not null)
        {
            yield return "note: " + StoppedByBudget;
        }
        if (Aborted is not null)
        {
            yield return "aborted: " + Aborted;
        }
        foreach (var p in Problems.Take(30))
        {
            yield return "problem: " + p;
        }
        if (EvidenceDir is not null)
        {
            yield return "evidence: " + EvidenceDir;
        }
    }

    public string TableRow()
    {
        static string S(List<double> s) => s.Count == 0 ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{Median(s):F1} / {s.Max():F1} s");
        return string.Create(CultureInfo.InvariantCulture,
            $"| {Daemon.ToString().ToLowerInvariant()} | {Kills} ({LeaderKills}, {MidCommitKills}) | {Issued} | {Acked} | {Unknown} | {Hung} | {FinalCommitFailures} | {Checked} | {Lost} | {Resurrected} | {Stale + Unexpected} | {CopyMismatches} | {StatusProblems} | {TdbCorrupt} of {TdbChecked} | {S(DownRecoverySeconds)} | {S(RejoinSeconds)} | {Duration.TotalSeconds:F0} s | {(Passed ? "PASS" : Aborted is null ? "FAIL" : "ABORTED")} |");
    }

    private static string Stats(List<double> s) => s.Count == 0
        ? "n/a"
        : string.Create(CultureInfo.InvariantCulture, $"median {Median(s):F1} s, max {s.Max():F1} s");

    private static double Median(List<double> s)
    {
        var o = s.Order().ToList();
        return o.Count % 2 == 1 ? o[o.Count / 2] : (o[o.Count / 2 - 1] + o[o.Count / 2]) / 2;
    }
}
