// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Bench.ThreeNode;

/// <summary>The timed runs of one recovery benchmark for one daemon, and the first failure if any.</summary>
internal sealed class RecoveryOutcome
{
    public List<RecoveryRun.Timing> Runs { get; } = [];

    public string? Error { get; set; }

    public double? MedianFromKill => Median(Runs.Select(r => r.FromKill));

    public double? MedianFromLeaderCommand => Median(Runs.Where(r => r.FromLeaderCommand is not null).Select(r => r.FromLeaderCommand!.Value));

    public double? MedianFromLeaderRole => Median(Runs.Where(r => r.FromLeaderRole is not null).Select(r => r.FromLeaderRole!.Value));

    public static double? Median(IEnumerable<double> values)
    {
        var v = values.Order().ToList();
        return v.Count == 0 ? null : v.Count % 2 == 1 ? v[v.Count / 2] : (v[(v.Count / 2) - 1] + v[v.Count / 2]) / 2;
    }
}
