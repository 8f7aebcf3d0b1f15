// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;

namespace CtdbPcmk.Faults;

/// <summary>The phases, counts and verdict of one disk run.</summary>
internal sealed class DiskResult
{
    public required DaemonKind Daemon { get; init; }

    public List<DiskPhase> Phases { get; } = [];

    public int Acked { get; set; }

    public int Checked { get; set; }

    public int Lost { get; set; }

    public int Resurrected { get; set; }

    public int Stale { get; set; }

    public int CopyMismatches { get; set; }

    public int StatusProblems { get; set; }

    public int TdbChecked { get; set; }

    public int TdbCorrupt { get; set; }

    /// <summary>Commits acknowledged while node 1's file system was full or read-only.</summary>
    public int AckedDuringFault { get; set; }

    public TimeSpan Duration { get; set; }

    public string? Aborted { get; set; }

    public List<string> Problems { get; } = [];

    public string? EvidenceDir { get; set; }

    public bool Passed => Aborted is null && Lost + Resurrected + Stale + CopyMismatches + StatusProblems + TdbCorrupt == 0;

    public IEnumerable<string> Lines()
    {
        var inv = CultureInfo.InvariantCulture;
        yield return string.Create(inv, $"daemon: {Daemon.ToString().ToLowerInvariant()}  verdict: {(Passed ? "PASS" : "FAIL")}");
        foreach (var p in Phases)
        {
            foreach (var l in p.Lines())
            {
                yield return l;
            }
        }
        yield return string.Create(inv, $"acknowledged commits: {Acked} (while the file system was full or read-only: {AckedDuringFault}); keys checked on the 3 nodes: {Checked}");
        yield return string.Create(inv, $"lost: {Lost}, resurrected: {Resurrected}, stale: {Stale}, copy mismatches: {CopyMismatches}, ctdb status problems: {StatusProblems}");
        yield return string.Create(inv, $"tdbtool check: {TdbChecked} files, {TdbCorrupt} failed");
        yield return string.Create(inv, $"duration: {Duration.TotalSeconds:F0} s");
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
}
