// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;

namespace CtdbPcmk.Bench.ThreeNode;

/// <summary>Runs an operation a fixed number of times (or until a time cap) and times each.</summary>
internal static class Timed
{
    public static PhaseResult Loop(int iterations, TimeSpan cap, Action<int> op)
    {
        var lat = new long[iterations];
        long start = Stopwatch.GetTimestamp();
        long deadline = start + (long)(cap.TotalSeconds * Stopwatch.Frequency);
        int n = 0;
        bool capped = false;
        for (; n < iterations; n++)
        {
            long t0 = Stopwatch.GetTimestamp();
            op(n);
            long t1 = Stopwatch.GetTimestamp();
            lat[n] = t1 - t0;
            if (t1 > deadline)
            {
                n++;
                capped = true;
                break;
            }
        }
        double wall = (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency;
        return new PhaseResult(lat[..n], n / wall, capped);
    }
}
