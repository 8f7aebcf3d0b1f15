// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text.RegularExpressions;

namespace CtdbPcmk.Conformance.Tests;

/// <summary>
/// Removes from ctdb tool output only what legitimately differs between two daemons started
/// a few seconds apart in different directories. Every rule is tied to the commands whose
/// output carries that value, so a value that should be equal stays compared everywhere else.
/// </summary>
internal static partial class OutputNormalizer
{
    public static string Normalize(string text, IReadOnlyList<string> args, string clusterDirectory)
    {
        // Each cluster lives in its own temporary directory: database paths (getdbmap,
        // getdbstatus) and error messages naming files are compared below that directory.
        text = text.Replace(clusterDirectory, "<CLUSTER_DIR>", StringComparison.Ordinal);

        string command = args.FirstOrDefault(a => !a.StartsWith('-')) ?? "";
        bool machine = args.Contains("-X") || args.Contains("-Y");
        return command switch
        {
            // The generation is a random number drawn at every recovery.
            "status" => GenerationLine().Replace(text, "Generation:<GENERATION>"),
            "ping" => NormalizePing(text),
            "uptime" => NormalizeTimes(text),
            "statistics" => machine ? NormalizeMachineStatistics(text) : NormalizeStatistics(text),
            _ => text,
        };
    }

    private static string NormalizePing(string text)
    {
        // Round-trip time of the PING control.
        text = PingTime().Replace(text, "time=<SECONDS> sec");
        // PING answers with the number of connected clients, which counts the daemon's own
        // helpers (real ctdbd's recovery daemon is a client of its main process) and any
        // other tool running at that moment: not part of the contract.
        return PingClients().Replace(text, "(<N> clients)");
    }

    /// <summary>Wall-clock dates, elapsed times and durations (uptime, statistics).</summary>
    private static string NormalizeTimes(string text)
    {
        // Dates printed with ctime(): "Mon Nov 23 18:31:17 2026".
        text = CtimeDate().Replace(text, "<DATE>");
        // Elapsed time since start or last recovery: "(000 00:00:16)".
        text = Elapsed().Replace(text, "(<ELAPSED>)");
        // How long the last recovery took.
        return RecoveryDuration().Replace(text, "${1}<SECONDS> seconds");
    }

    private static string NormalizeStatistics(string text)
    {
        text = NormalizeTimes(text);
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var m = CounterLine().Match(lines[i]);
            // Counters count packets, calls, memory and recoveries since start: they depend on
            // traffic (including the daemon's internal traffic) and timing. Only the state
            // flags "frozen" and "recovering" must agree (both 0 on a settled node).
            if (m.Success && m.Groups[2].Value is not ("frozen" or "recovering"))
            {
                lines[i] = $"{m.Groups[1].Value}{m.Groups[2].Value} <N>";
            }
            else if (LatencyLine().Match(lines[i]) is { Success: true } l)
            {
                // Measured latencies and how many samples they were taken from.
                lines[i] = $"{l.Groups[1].Value}MIN/AVG/MAX <SECONDS>/<SECONDS>/<SECONDS> sec out of <N>";
            }
            else if (BucketLine().Match(lines[i]) is { Success: true } b)
            {
                // Histograms of hop counts and lock waits: traffic again.
                lines[i] = $"{b.Groups[1].Value}: <BUCKETS>";
            }
        }
        return string.Join('\n', lines);
    }

    private static string NormalizeMachineStatistics(string text)
    {
        // "-X statistics": one header row of names, one row of values. The version stays
        // compared, the state flags too; times and counters vary as in the plain form.
        var lines = text.Split('\n');
        if (lines.Length < 2)
        {
            return text;
        }
        var names = lines[0].Split('|');
        var values = lines[1].Split('|');
        for (int i = 0; i < values.Length && i < names.Length; i++)
        {
            if (names[i] is not ("CTDB version" or "frozen" or "recovering" or ""))
            {
                values[i] = "<N>";
            }
        }
        lines[1] = string.Join('|', values);
        return string.Join('\n', lines);
    }

    [GeneratedRegex(@"^Generation:\d+$", RegexOptions.Multiline)]
    private static partial Regex GenerationLine();

    [GeneratedRegex(@"time=\d+\.\d+ sec")]
    private static partial Regex PingTime();

    [GeneratedRegex(@"\(\d+ clients\)")]
    private static partial Regex PingClients();

    [GeneratedRegex(@"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:\d\d:\d\d \d{4}\b")]
    private static partial Regex CtimeDate();

    [GeneratedRegex(@"\(\d{3} \d\d:\d\d:\d\d\)")]
    private static partial Regex Elapsed();

    [GeneratedRegex(@"(Duration of last recovery/failover: )\d+\.\d+ seconds")]
    private static partial Regex RecoveryDuration();

    [GeneratedRegex(@"^(\s+)(\w+)\s+\d+$")]
    private static partial Regex CounterLine();

    [GeneratedRegex(@"^(\s+\w+\s+)MIN/AVG/MAX\s+\d+\.\d+/\d+\.\d+/\d+\.\d+ sec out of \d+$")]
    private static partial Regex LatencyLine();

    [GeneratedRegex(@"^(\s+\w+):( \d+)+$")]
    private static partial Regex BucketLine();
}
