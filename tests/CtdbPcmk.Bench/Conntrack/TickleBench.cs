// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using CtdbPcmk.Client;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Bench.Conntrack;

/// <summary>One way of sending the first round of tickles to every client: its runs in milliseconds.</summary>
internal sealed record TickleWay(string Name, string How, IReadOnlyList<double> Milliseconds, string? Unavailable = null)
{
    public double? Median => Milliseconds.Count == 0 ? null : Milliseconds.Order().ElementAt(Milliseconds.Count / 2);
}

/// <summary>
/// Tickles for <c>count</c> connections in the replicated list after a takeover. Ours: the
/// entries are written to node 0's list, then reset-client on the tracker's control socket; the
/// first round's duration is the tracker's own figure (last_tickle_round_ms). The floor: a C
/// program sending the same ACKs through a raw socket. resource-agents: tickle_tcp fed the
/// portblock tickle_dir file (one "server client" line per connection), whole run timed.
/// </summary>
internal static class TickleBench
{
    public const int FirstClientPort = 10000;

    /// <summary>Each way once per round, the ways interleaved, so that a change of the machine's load falls on all of them.</summary>
    public static List<TickleWay> Run(BenchLab lab, int count, int runs, string? floor, string? tickleTcp)
    {
        var merged = new List<TickleWay>();
        for (int round = 0; round < runs; round++)
        {
            var ways = new List<TickleWay> { Ours(lab, count, 1) };
            ways.Add(floor is null
                ? new TickleWay("floor", "tests/bench/floor/tickle-floor.c", [], "not built")
                : Floor(lab, floor, count, 1));
            if (tickleTcp is null)
            {
                ways.Add(new TickleWay("tickle_tcp", "resource-agents tickle_tcp", [], "not installed"));
            }
            else
            {
                ways.AddRange(TickleTcp(lab, tickleTcp, count, 1));
            }
            foreach (var way in ways)
            {
                int at = merged.FindIndex(w => w.Name == way.Name);
                if (at < 0)
                {
                    merged.Add(way);
                }
                else
                {
                    merged[at] = merged[at] with { Milliseconds = [.. merged[at].Milliseconds, .. way.Milliseconds] };
                }
            }
        }
        return merged;
    }

    private static TickleWay Ours(BenchLab lab, int count, int runs)
    {
        var changes = Enumerable.Range(0, count)
            .Select(i => new TcpChange(new CtdbConnection(new IPEndPoint(BenchLab.ClientAddress, FirstClientPort + i), new IPEndPoint(BenchLab.Vip, BenchLab.Port)), true))
            .ToArray();
        var results = new List<double>();
        using var node0 = CtdbClient.Connect(lab.Cluster.Socket(0));
        node0.Timeout = TimeSpan.FromSeconds(30);
        for (int r = 0; r < runs; r++)
        {
            for (int at = 0; at < changes.Length; at += TcpChanges.MaxPerControl)
            {
                node0.TcpUpdate(changes.AsSpan(at, Math.Min(TcpChanges.MaxPerControl, changes.Length - at)));
            }
            if (node0.GetTcpTickleList(BenchLab.Vip).Count != count)
            {
                throw new InvalidOperationException($"node 0's list does not hold the {count} connections");
            }
            var reply = lab.Request($"reset-client {BenchLab.Vip}");
            if (!reply.StartsWith($"ok tickling {count} ", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"reset-client: {reply}");
            }
            // The tickled entries leave the list once the rounds are done; the first round's time is set before.
            Wait.Until(() => node0.GetTcpTickleList(BenchLab.Vip).Count == 0, TimeSpan.FromSeconds(30), "tickled entries removed", pollMs: 50);
            results.Add(BenchLab.StatusValueDouble(lab.Request("status"), "last_tickle_round_ms"));
        }
        Console.Error.WriteLine($"conntrack-bench: tickle ours: {string.Join(", ", results.Select(v => v.ToString("F1", CultureInfo.InvariantCulture)))} ms");
        return new TickleWay("ours", "reset-client on the tracker's control socket; first round as the tracker reports it (announcement included)", results);
    }

    private static TickleWay Floor(BenchLab lab, string floor, int count, int runs)
    {
        var results = new List<double>();
        for (int r = 0; r < runs; r++)
        {
            var output = BenchLab.In(lab.Server, floor, BenchLab.Vip.ToString(), BenchLab.Port.ToString(CultureInfo.InvariantCulture),
                BenchLab.ClientAddress.ToString(), FirstClientPort.ToString(CultureInfo.InvariantCulture), count.ToString(CultureInfo.InvariantCulture));
            results.Add(double.Parse(output.Split(' ')[0], CultureInfo.InvariantCulture));
            Thread.Sleep(600);
        }
        Console.Error.WriteLine($"conntrack-bench: tickle floor: {string.Join(", ", results.Select(v => v.ToString("F1", CultureInfo.InvariantCulture)))} ms");
        return new TickleWay("floor", "C, one sendto() per ACK on a raw socket (tests/bench/floor/tickle-floor.c), send loop only", results);
    }

    private static IEnumerable<TickleWay> TickleTcp(BenchLab lab, string tickleTcp, int count, int runs)
    {
        var file = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            file.Append(CultureInfo.InvariantCulture, $"{BenchLab.Vip}:{BenchLab.Port}\t{BenchLab.ClientAddress}:{FirstClientPort + i}\n");
        }
        var lines = file.ToString();
        foreach (var n in new[] { 1, 3 })
        {
            var results = new List<double>();
            var empty = new List<double>();
            for (int r = 0; r < runs; r++)
            {
                empty.Add(Timed(lab, tickleTcp, n, ""));
                results.Add(Timed(lab, tickleTcp, n, lines));
                Thread.Sleep(600);
            }
            double start = empty.Order().ElementAt(empty.Count / 2);
            Console.Error.WriteLine($"conntrack-bench: tickle_tcp -n {n}: {string.Join(", ", results.Select(v => v.ToString("F1", CultureInfo.InvariantCulture)))} ms (empty input {start:F1} ms)");
            yield return new TickleWay($"tickle_tcp -n {n}",
                $"{tickleTcp} -n {n} < tickle_dir file{(n == 3 ? " (as portblock runs it)" : "")}; whole run less a run on empty input just before it (ip netns exec and start-up; {start:F1} ms in the first round)",
                results.Select(v => Math.Max(0, v - start)).ToList());
        }
    }

    private static double Timed(BenchLab lab, string tickleTcp, int n, string input)
    {
        var watch = Stopwatch.StartNew();
        var r = Sh.Run(["ip", "netns", "exec", lab.Server.Name, tickleTcp, "-n", n.ToString(CultureInfo.InvariantCulture)], stdin: input);
        var ms = watch.Elapsed.TotalMilliseconds;
        if (!r.Ok && input.Length > 0)
        {
            throw new InvalidOperationException($"tickle_tcp: {r}");
        }
        return ms;
    }
}
