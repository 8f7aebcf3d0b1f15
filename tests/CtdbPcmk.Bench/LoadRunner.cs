// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using CtdbPcmk.Client;

namespace CtdbPcmk.Bench;

/// <summary>
/// Runs N clients, each on its own thread and connection: warm-up, a common start barrier, then a
/// fixed number of timed operations (cut short at a time cap, which the result reports).
/// </summary>
internal static class LoadRunner
{
    public static PhaseResult Run(
        string socketPath, int clients, int warmup, int iterations, TimeSpan cap,
        Func<CtdbClient, int, ClientOperation> prepare)
    {
        var connections = new CtdbClient[clients];
        var ops = new ClientOperation[clients];
        try
        {
            for (int i = 0; i < clients; i++)
            {
                connections[i] = CtdbClient.Connect(socketPath);
                connections[i].Timeout = TimeSpan.FromSeconds(20);
                ops[i] = prepare(connections[i], i);
            }
            var latencies = new long[clients][];
            var counts = new int[clients];
            var errors = new Exception?[clients];
            bool capped = false;
            using var barrier = new Barrier(clients + 1);
            long capTicks = (long)(cap.TotalSeconds * Stopwatch.Frequency);
            var threads = new Thread[clients];
            for (int i = 0; i < clients; i++)
            {
                int idx = i;
                latencies[idx] = new long[iterations];
                threads[idx] = new Thread(() =>
                {
                    var op = ops[idx];
                    var lat = latencies[idx];
                    try
                    {
                        for (int w = 0; w < warmup; w++)
                        {
                            op.Execute();
                        }
                    }
                    catch (Exception e)
                    {
                        errors[idx] = e;
                    }
                    barrier.SignalAndWait();
                    if (errors[idx] is not null)
                    {
                        return;
                    }
                    try
                    {
                        long deadline = Stopwatch.GetTimestamp() + capTicks;
                        int n = 0;
                        for (; n < lat.Length; n++)
                        {
                            long t0 = Stopwatch.GetTimestamp();
                            op.Execute();
                            long t1 = Stopwatch.GetTimestamp();
                            lat[n] = t1 - t0;
                            if (t1 > deadline)
                            {
                                n++;
                                capped = true;
                                break;
                            }
                        }
                        counts[idx] = n;
                    }
                    catch (Exception e)
                    {
                        errors[idx] = e;
                    }
                })
                { IsBackground = true, Name = $"bench-client-{idx}" };
                threads[idx].Start();
            }
            barrier.SignalAndWait();
            long start = Stopwatch.GetTimestamp();
            foreach (var t in threads)
            {
                t.Join();
            }
            double wall = (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency;
            var failure = errors.FirstOrDefault(e => e is not null);
            if (failure is not null)
            {
                throw new InvalidOperationException($"client failed: {failure.Message}", failure);
            }
            foreach (var op in ops)
            {
                op.Verify();
            }
            var all = new List<long>(clients * iterations);
            for (int i = 0; i < clients; i++)
            {
                all.AddRange(latencies[i].AsSpan(0, counts[i]).ToArray());
            }
            return new PhaseResult([.. all], all.Count / wall, capped);
        }
        finally
        {
            foreach (var c in connections)
            {
                c?.Dispose();
            }
        }
    }
}
