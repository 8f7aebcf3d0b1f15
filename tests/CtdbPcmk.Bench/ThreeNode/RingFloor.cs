// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Globalization;

namespace CtdbPcmk.Bench.ThreeNode;

/// <summary>
/// The floor under the one-at-a-time rings: tests/bench/floor/ring-floor.c passes the same hops
/// between C relays that do nothing else. Runs it and reads one line per measurement:
/// <c>NAME median_us=M p99_us=P ops_per_s=R</c>.
/// </summary>
internal static class RingFloor
{
    /// <summary>
    /// Which floor measurement bounds each micro benchmark. A three-node ring's migrations take at
    /// least the two-node path, so the two-node floor bounds it too.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Bounds = new Dictionary<string, string>
    {
        ["message-ring"] = "message-ring",
        ["migration-2"] = "migration-2",
        ["migration-2-via-3rd"] = "migration-2-via-3rd",
        ["migration-3"] = "migration-2",
        ["message-stream"] = "message-stream",
    };

    public static Dictionary<string, LatencyStats> Run(string binary)
    {
        var psi = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{binary} did not start");
        string output = p.StandardOutput.ReadToEnd();
        string errors = p.StandardError.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2)) || p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{binary} failed: {errors.Trim()}");
        }
        return Parse(output);
    }

    public static Dictionary<string, LatencyStats> Parse(string output)
    {
        var results = new Dictionary<string, LatencyStats>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            var values = parts.Skip(1).Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => double.Parse(kv[1], CultureInfo.InvariantCulture));
            results[parts[0]] = new LatencyStats(0, values["median_us"], values["median_us"], values["p99_us"], values["ops_per_s"], false);
        }
        return results;
    }
}
