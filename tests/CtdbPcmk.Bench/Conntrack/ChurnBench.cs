// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CtdbPcmk.Client;

namespace CtdbPcmk.Bench.Conntrack;

/// <summary>What the real churn measured.</summary>
internal sealed record ChurnResult(int Threads, TimeSpan Wall, long Made, long Failed, long Seen, long Closed, long Overruns,
    long Messages, TimeSpan TrackerCpu, int StaleNode0, int StaleNode1)
{
    public double MadePerSecond => Made / Wall.TotalSeconds;
    public long Missed => Math.Max(0, Made - Seen);
    public double TrackerCores => TrackerCpu / Wall;
}

/// <summary>
/// Real churn: threads in the client namespace open a TCP connection to the public address and
/// close it (with a RST, so that no TIME_WAIT holds the port) as fast as they can; the listener
/// accepts and closes. The tracker runs its own loop on the kernel's events. Counted: connections
/// made, NEW events the tracker took (opened), overruns, and entries left in both nodes' lists.
/// </summary>
internal static class ChurnBench
{
    public static ChurnResult Run(BenchLab lab, TimeSpan duration, int threads, double commitInterval)
    {
        lab.KeepAccepted = false;
        var before = lab.Request("status");
        var cpu0 = lab.TrackerCpu();
        long made = 0;
        long failed = 0;
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, threads).Select(_ => lab.Client.Start(() =>
        {
            var target = new IPEndPoint(BenchLab.Vip, BenchLab.Port);
            var linger = new LingerOption(true, 0);
            while (watch.Elapsed < duration)
            {
                using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    s.Connect(target);
                    s.LingerState = linger;
                    Interlocked.Increment(ref made);
                }
                catch (SocketException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        })).ToList();
        foreach (var w in workers)
        {
            w.Join();
        }
        var wall = watch.Elapsed;
        // The tracker may still be reading the last events: wait until its count stops moving.
        long opened0 = BenchLab.StatusValue(before, "opened");
        long last = -1;
        var settle = Stopwatch.StartNew();
        while (settle.Elapsed < TimeSpan.FromSeconds(15))
        {
            long now = BenchLab.StatusValue(lab.Request("status"), "opened");
            if (now - opened0 >= made || now == last)
            {
                break;
            }
            last = now;
            Thread.Sleep(300);
        }
        var cpu = lab.TrackerCpu() - cpu0;
        var after = lab.Request("status");
        // Closed connections leave the lists at the next commit.
        Thread.Sleep(TimeSpan.FromSeconds(2 * commitInterval + 1));
        Console.Error.WriteLine($"conntrack-bench: churn: {made} made, {failed} failed in {wall.TotalSeconds:F1} s; tracker before: {before}; after: {after}");
        return new ChurnResult(threads, wall, made, failed,
            BenchLab.StatusValue(after, "opened") - opened0,
            BenchLab.StatusValue(after, "closed") - BenchLab.StatusValue(before, "closed"),
            BenchLab.StatusValue(after, "overruns") - BenchLab.StatusValue(before, "overruns"),
            BenchLab.StatusValue(after, "messages") - BenchLab.StatusValue(before, "messages"),
            cpu, Count(lab, 0), Count(lab, 1));
    }

    private static int Count(BenchLab lab, int pnn)
    {
        using var c = CtdbClient.Connect(lab.Cluster.Socket(pnn));
        c.Timeout = TimeSpan.FromSeconds(30);
        return c.GetTcpTickleList(BenchLab.Vip).Count;
    }
}
