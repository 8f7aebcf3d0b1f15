// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;

namespace CtdbPcmk.Protocol.Tests;

/// <summary>
/// Seed range of the randomised tests: 1..500 unless CTDBPCMK_PROTOCOL_SEEDS says "first..last".
/// Failures name the seed so a case can be replayed alone.
/// </summary>
internal static class Seeds
{
    public static IEnumerable<int> Range(int defaultLast = 500)
    {
        var spec = Environment.GetEnvironmentVariable("CTDBPCMK_PROTOCOL_SEEDS");
        int first = 1, last = defaultLast;
        if (!string.IsNullOrEmpty(spec))
        {
            var parts = spec.Split("..");
            first = int.Parse(parts[0], CultureInfo.InvariantCulture);
            last = parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : first;
        }
        return Enumerable.Range(first, last - first + 1);
    }

    /// <summary>Runs <paramref name="body"/> for every seed, reporting the first failing one.</summary>
    public static void ForEach(string what, Action<Random, int> body, int defaultLast = 500)
    {
        foreach (int seed in Range(defaultLast))
        {
            try
            {
                body(new Random(seed), seed);
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"{what} failed with seed {seed} (replay: CTDBPCMK_PROTOCOL_SEEDS={seed}): {e}");
            }
        }
    }
}
