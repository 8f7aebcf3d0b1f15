// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CtdbPcmk.Client;

namespace CtdbPcmk.Bench.Conntrack;

/// <summary>Latency from a client's SYN to its entry in node 1's list, at one commit interval.</summary>
internal sealed record LatencyResult(double CommitInterval, IReadOnlyList<double> Milliseconds)
{
    public double Median => Percentile(0.5);
    public double P95 => Percentile(0.95);
    public double Max => Milliseconds.Max();
    public double GoalMs => CommitInterval * 1000 + 100;

    private double Percentile(double p)
    {
        var sorted = Milliseconds.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }
}

/// <summary>
/// The tracker runs its own loop; a client connects from the client namespace (the clock starts
/// just before connect(), i.e. the SYN) and node 1's list is read every millisecond until the
/// client's entry is there. Random pauses between samples spread them over the commit timer.
/// </summary>
internal static class LatencyBench
{
    public static LatencyResult Run(BenchLab lab, double commitInterval, int samples)
    {
        lab.StopTracker();
        lab.KeepAccepted = true;
        lab.StartTracker(commitInterval);
        using var node1 = CtdbClient.Connect(lab.Cluster.Socket(1));
        node1.Timeout = TimeSpan.FromSeconds(10);
        var random = new Random(4711);
        var results = new List<double>(samples);
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < samples; i++)
        {
            Thread.Sleep(random.Next(0, (int)(commitInterval * 1000) + 50));
            var (socket, start) = lab.Client.Run(() =>
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                var t = watch.Elapsed;
                s.Connect(new IPEndPoint(BenchLab.Vip, BenchLab.Port));
                return (s, t);
            });
            var endpoint = (IPEndPoint)socket.LocalEndPoint!;
            var deadline = start + TimeSpan.FromSeconds(commitInterval + 10);
            while (!node1.GetTcpTickleList(BenchLab.Vip).Any(c => c.Source.Equals(endpoint)))
            {
                if (watch.Elapsed > deadline)
                {
                    throw new TimeoutException($"{endpoint} not on node 1 after {commitInterval + 10} s");
                }
                Thread.Sleep(1);
            }
            results.Add((watch.Elapsed - start).TotalMilliseconds);
            socket.Dispose();
        }
        lab.DropKept();
        var r = new LatencyResult(commitInterval, results);
        Console.Error.WriteLine($"conntrack-bench: latency commit_interval {commitInterval}: median {r.Median:F1} ms p95 {r.P95:F1} max {r.Max:F1}");
        return r;
    }
}
