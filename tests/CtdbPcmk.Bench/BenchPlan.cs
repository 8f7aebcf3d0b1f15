// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Client;

namespace CtdbPcmk.Bench;

/// <summary>A latency/throughput benchmark: its operation, iteration counts and time cap per client count.</summary>
internal sealed record BenchPlan(
    string Key,
    string Title,
    Func<CtdbClient, int, ClientOperation> Prepare,
    int Warmup1,
    int Iterations1,
    int Warmup16,
    int Iterations16,
    TimeSpan Cap)
{
    public const int Rounds = 5;

    public static readonly int[] ClientCounts = [1, 16];

    public static IReadOnlyList<BenchPlan> All { get; } =
    [
        new("ping", "PING control round trip", (c, _) => new PingOperation(c), 1000, 10000, 200, 2000, TimeSpan.FromSeconds(5)),
        new("fetch", "Local REQ_CALL FETCH_FUNC, volatile DB", (c, i) => new FetchOperation(c, i), 1000, 10000, 200, 2000, TimeSpan.FromSeconds(5)),
        new("trans3", "TRANS3_COMMIT, persistent DB", (c, i) => new Trans3Operation(c, i), 5, 100, 2, 15, TimeSpan.FromSeconds(8)),
    ];

    public (int Warmup, int Iterations) Counts(int clients) => clients == 1 ? (Warmup1, Iterations1) : (Warmup16, Iterations16);
}
