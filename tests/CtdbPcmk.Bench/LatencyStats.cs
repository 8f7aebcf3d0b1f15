// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;

namespace CtdbPcmk.Bench;

/// <summary>Latency percentiles (nearest rank over all samples of all rounds) and the median per-round rate.</summary>
internal sealed record LatencyStats(int Samples, double MedianUs, double P90Us, double P99Us, double OpsPerSecond, bool HitTimeCap)
{
    public static LatencyStats From(IReadOnlyList<PhaseResult> rounds)
    {
        var all = new List<long>();
        foreach (var r in rounds)
        {
            all.AddRange(r.LatencyTicks);
        }
        all.Sort();
        var rates = rounds.Select(r => r.OpsPerSecond).Order().ToList();
        return new LatencyStats(
            all.Count,
            ToUs(Percentile(all, 0.50)),
            ToUs(Percentile(all, 0.90)),
            ToUs(Percentile(all, 0.99)),
            rates.Count == 0 ? 0 : rates[rates.Count / 2],
            rounds.Any(r => r.HitTimeCap));
    }

    private static long Percentile(List<long> sorted, double q) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];

    private static double ToUs(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;
}
