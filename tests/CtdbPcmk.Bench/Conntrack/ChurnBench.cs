// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CtdbPcmk.Client;

namespace CtdbPcmk.Bench.Conntrack;

/// <summary>What the real churn measured.</summary>
internal sealed record ChurnResult(string How, int Threads, TimeSpan Wall, long Made, long Failed, long Seen, long Closed, long Overruns,
    long Messages, TimeSpan TrackerCpu, int StaleNode0, int StaleNode1, long? KernelDrops = null, long? PeakQueueBytes = null, TimeSpan? ProcessCpu = null)
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
    public static ChurnResult Run(BenchLab lab, TimeSpan duration, int threads, double commitInterval, string? churnTool)
    {
        lab.KeepAccepted = false;
        var before = lab.Request("status");
        var cpu0 = lab.TrackerCpu();
        var self0 = ThreadCpu.OfSelf();
        long made = 0;
        long failed = 0;
        TimeSpan wall;
        string how;
        s_lastWatch = null;
        if (churnTool is not null)
        {
            how = $"tests/bench/floor/churn.c, {threads} client threads in the client namespace, a C server accepting and closing in the server namespace (port {BenchLab.ChurnPort}), no managed runtime beside the tracker";
            (made, failed, wall) = External(lab, churnTool, duration, threads);
        }
        else
        {
            how = $"{threads} client threads of the benchmark process in the client namespace; the benchmark's listener accepts and closes";
            (made, failed, wall) = InProcess(lab, duration, threads);
        }
        return Settle(lab, before, cpu0, made, failed, wall, how, threads, commitInterval) with { ProcessCpu = ThreadCpu.OfSelf() - self0 };
    }

    private static (long Drops, long PeakRmem)? s_lastWatch;

    private static (long Made, long Failed, TimeSpan Wall) External(BenchLab lab, string tool, TimeSpan duration, int threads)
    {
        var server = new Process { StartInfo = new ProcessStartInfo("ip", ["netns", "exec", lab.Server.Name, tool, "server", BenchLab.Vip.ToString(), BenchLab.ChurnPort.ToString(CultureInfo.InvariantCulture)]) { RedirectStandardOutput = true } };
        server.Start();
        try
        {
            if (server.StandardOutput.ReadLine() != "ready")
            {
                throw new InvalidOperationException("the churn server did not start");
            }
            using var watch = new NetlinkWatch(server.Id);
            var r = Sh.Run(["ip", "netns", "exec", lab.Client.Name, tool, "client", BenchLab.Vip.ToString(), BenchLab.ChurnPort.ToString(CultureInfo.InvariantCulture),
                duration.TotalSeconds.ToString(CultureInfo.InvariantCulture), threads.ToString(CultureInfo.InvariantCulture)]);
            if (!r.Ok)
            {
                throw new InvalidOperationException($"churn client: {r}");
            }
            var f = r.Stdout.Trim().Split(' ');
            // Events still queued are read after the client stops: the watch goes on a moment.
            Thread.Sleep(500);
            watch.Dispose();
            s_lastWatch = (watch.Drops, watch.PeakRmem);
            return (long.Parse(f[0], CultureInfo.InvariantCulture), long.Parse(f[1], CultureInfo.InvariantCulture), TimeSpan.FromMilliseconds(double.Parse(f[2], CultureInfo.InvariantCulture)));
        }
        finally
        {
            // The process this run started, by its own handle (ip netns exec execs the tool: same PID).
            server.Kill();
            server.WaitForExit();
            server.Dispose();
        }
    }

    private static (long Made, long Failed, TimeSpan Wall) InProcess(BenchLab lab, TimeSpan duration, int threads)
    {
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
        return (made, failed, watch.Elapsed);
    }

    private static ChurnResult Settle(BenchLab lab, string before, TimeSpan cpu0, long made, long failed, TimeSpan wall, string how, int threads, double commitInterval)
    {
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
        return new ChurnResult(how, threads, wall, made, failed,
            BenchLab.StatusValue(after, "opened") - opened0,
            BenchLab.StatusValue(after, "closed") - BenchLab.StatusValue(before, "closed"),
            BenchLab.StatusValue(after, "overruns") - BenchLab.StatusValue(before, "overruns"),
            BenchLab.StatusValue(after, "messages") - BenchLab.StatusValue(before, "messages"),
            cpu, Count(lab, 0), Count(lab, 1), s_lastWatch?.Drops, s_lastWatch?.PeakRmem);
    }

    private static int Count(BenchLab lab, int pnn)
    {
        using var c = CtdbClient.Connect(lab.Cluster.Socket(pnn));
        c.Timeout = TimeSpan.FromSeconds(30);
        return c.GetTcpTickleList(BenchLab.Vip).Count;
    }
}
