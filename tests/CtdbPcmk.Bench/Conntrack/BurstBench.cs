// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CtdbPcmk.Client;

namespace CtdbPcmk.Bench.Conntrack;

/// <summary>What the burst of kept-open connections measured: each one looked up in node 1's list.</summary>
internal sealed record BurstResult(int Made, TimeSpan Wall, int Missing, TimeSpan AllOnNode1, int StaleNode1, long Overruns)
{
    public double MadePerSecond => Made / Wall.TotalSeconds;
}

/// <summary>
/// A burst: threads in the client namespace open connections as fast as they can and keep them;
/// then every client endpoint is looked for in node 1's list (an exact count of the missed
/// ones), all are closed, and node 1's list must empty.
/// </summary>
internal static class BurstBench
{
    public static BurstResult Run(BenchLab lab, int count, int threads, double commitInterval)
    {
        lab.KeepAccepted = true;
        int listedBefore;
        using (var probe = CtdbClient.Connect(lab.Cluster.Socket(1)))
        {
            probe.Timeout = TimeSpan.FromSeconds(30);
            listedBefore = probe.GetTcpTickleList(BenchLab.Vip).Count;
        }
        long overruns0 = BenchLab.StatusValue(lab.Request("status"), "overruns");
        var sockets = new List<Socket>[threads];
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, threads).Select(t => lab.Client.Start(() =>
        {
            var mine = sockets[t] = new List<Socket>(count / threads + 1);
            var target = new IPEndPoint(BenchLab.Vip, BenchLab.Port);
            for (int i = t; i < count; i += threads)
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                s.Connect(target);
                mine.Add(s);
            }
        })).ToList();
        foreach (var w in workers)
        {
            w.Join();
        }
        var wall = watch.Elapsed;
        var all = sockets.Where(s => s is not null).SelectMany(s => s).ToList();
        var endpoints = all.Select(s => (IPEndPoint)s.LocalEndPoint!).ToHashSet();
        using var node1 = CtdbClient.Connect(lab.Cluster.Socket(1));
        node1.Timeout = TimeSpan.FromSeconds(30);
        var wait = Stopwatch.StartNew();
        int missing = endpoints.Count;
        while (wait.Elapsed < TimeSpan.FromSeconds(commitInterval + 10))
        {
            var listed = node1.GetTcpTickleList(BenchLab.Vip).Select(c => c.Source).ToHashSet();
            missing = endpoints.Count(e => !listed.Contains(e));
            if (missing == 0)
            {
                break;
            }
            Thread.Sleep(20);
        }
        var allOn = wait.Elapsed;
        var linger = new LingerOption(true, 0);
        foreach (var s in all)
        {
            s.LingerState = linger;
            s.Dispose();
        }
        lab.DropKept();
        Thread.Sleep(TimeSpan.FromSeconds(2 * commitInterval + 1));
        // Entries an earlier part left behind are not this burst's.
        int stale = Math.Max(0, node1.GetTcpTickleList(BenchLab.Vip).Count - listedBefore);
        long overruns = BenchLab.StatusValue(lab.Request("status"), "overruns") - overruns0;
        Console.Error.WriteLine($"conntrack-bench: burst: {all.Count} kept open in {wall.TotalMilliseconds:F0} ms, {missing} missing on node 1 after {allOn.TotalMilliseconds:F0} ms, {stale} left after closing");
        return new BurstResult(all.Count, wall, missing, allOn, stale, overruns);
    }
}
