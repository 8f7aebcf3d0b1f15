// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Text.RegularExpressions;

namespace CtdbPcmk.Cluster.Tests;

/// <summary>What "ctdb dbstatistics DB" printed: read-only delegations and revokes, lock counts and buckets, hop-count buckets, lock latency and the hot keys.</summary>
internal sealed partial class DbStatisticsOutput
{
    /// <summary>Read-only copies this node granted as the record's dmaster.</summary>
    public required uint RoDelegations { get; init; }
    /// <summary>Revokes of delegations this node granted, counted when they completed.</summary>
    public required uint RoRevokes { get; init; }
    public required uint LockCalls { get; init; }
    /// <summary>Calls waiting for a record lock now (num_current + num_pending).</summary>
    public required uint LocksWaiting { get; init; }
    public required uint[] LockBuckets { get; init; }
    public required uint[] HopBuckets { get; init; }
    public required double LockLatencyMax { get; init; }
    public required int HotKeySlots { get; init; }
    /// <summary>Hot keys by their bytes in hex, with their counts.</summary>
    public required Dictionary<string, uint> HotKeys { get; init; }

    public static DbStatisticsOutput Parse(Sh.Result r)
    {
        Assert.True(r.Ok, $"dbstatistics: {r}");
        string o = r.Output;
        return new DbStatisticsOutput
        {
            RoDelegations = uint.Parse(Match(RoDelegationsLine(), o, "db_ro_delegations"), CultureInfo.InvariantCulture),
            RoRevokes = uint.Parse(Match(RoRevokesLine(), o, "db_ro_revokes"), CultureInfo.InvariantCulture),
            LockCalls = uint.Parse(Match(NumCalls(), o, "num_calls"), CultureInfo.InvariantCulture),
            LocksWaiting = uint.Parse(Match(NumCurrent(), o, "num_current"), CultureInfo.InvariantCulture)
                + uint.Parse(Match(NumPending(), o, "num_pending"), CultureInfo.InvariantCulture),
            LockBuckets = Buckets(Match(LockBucketLine(), o, "lock_buckets")),
            HopBuckets = Buckets(Match(HopBucketLine(), o, "hop_count_buckets")),
            LockLatencyMax = double.Parse(Match(LockLatency(), o, "locks_latency"), CultureInfo.InvariantCulture),
            HotKeySlots = int.Parse(Match(NumHotKeys(), o, "Num Hot Keys"), CultureInfo.InvariantCulture),
            HotKeys = HotKeyLine().Matches(o).Where(m => m.Groups[2].Value.Length != 0)
                .ToDictionary(m => m.Groups[2].Value, m => uint.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)),
        };
    }

    public static string Hex(string key) => Convert.ToHexStringLower(System.Text.Encoding.ASCII.GetBytes(key));

    private static string Match(Regex re, string output, string what)
    {
        var m = re.Match(output);
        Assert.True(m.Success, $"no {what} in:\n{output}");
        return m.Groups[1].Value;
    }

    private static uint[] Buckets(string line) =>
        [.. line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => uint.Parse(v, CultureInfo.InvariantCulture))];

    [GeneratedRegex(@"^ db_ro_delegations\s+(\d+)$", RegexOptions.Multiline)]
    private static partial Regex RoDelegationsLine();

    [GeneratedRegex(@"^ db_ro_revokes\s+(\d+)$", RegexOptions.Multiline)]
    private static partial Regex RoRevokesLine();

    [GeneratedRegex(@"^\s+num_calls\s+(\d+)$", RegexOptions.Multiline)]
    private static partial Regex NumCalls();

    [GeneratedRegex(@"^\s+num_current\s+(\d+)$", RegexOptions.Multiline)]
    private static partial Regex NumCurrent();

    [GeneratedRegex(@"^\s+num_pending\s+(\d+)$", RegexOptions.Multiline)]
    private static partial Regex NumPending();

    [GeneratedRegex(@"^ lock_buckets:([ \d]+)$", RegexOptions.Multiline)]
    private static partial Regex LockBucketLine();

    [GeneratedRegex(@"^ hop_count_buckets:([ \d]+)$", RegexOptions.Multiline)]
    private static partial Regex HopBucketLine();

    [GeneratedRegex(@"^ locks_latency\s+MIN/AVG/MAX\s+[\d.]+/[\d.]+/([\d.]+) sec out of \d+$", RegexOptions.Multiline)]
    private static partial Regex LockLatency();

    [GeneratedRegex(@"^ Num Hot Keys:\s+(\d+)$", RegexOptions.Multiline)]
    private static partial Regex NumHotKeys();

    [GeneratedRegex(@"^\s+Count:(\d+) Key:([0-9a-f]*)$", RegexOptions.Multiline)]
    private static partial Regex HotKeyLine();
}
