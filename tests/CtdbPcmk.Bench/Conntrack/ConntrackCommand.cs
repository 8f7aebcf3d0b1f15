// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Runtime.InteropServices;

namespace CtdbPcmk.Bench.Conntrack;

/// <summary>
/// ctdbpcmk-bench conntrack --out DIR [--info KEY=VALUE]... [--tickle-floor PATH] [--tickle-tcp PATH]
///   [--parts abcde] [--quick]
/// a replay, b real churn, c SYN-to-node-1 latency, d tickles after takeover, e ctdbd beside ours.
/// Writes DIR/conntrack.md and DIR/conntrack.json; a missed goal is a result, not an error.
/// </summary>
internal static class ConntrackCommand
{
    public static int Run(string[] args)
    {
        string? outDir = null;
        string? floor = null;
        string? tickleTcp = null;
        string? churnTool = null;
        string parts = "abcde";
        bool quick = false;
        var report = new ConntrackReport();
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--out": outDir = Next(); break;
                case "--tickle-floor": floor = Next(); break;
                case "--tickle-tcp": tickleTcp = Next(); break;
                case "--churn": churnTool = Next(); break;
                case "--parts": parts = Next(); break;
                case "--quick": quick = true; break;
                case "--info":
                    {
                        var kv = Next();
                        int eq = kv.IndexOf('=', StringComparison.Ordinal);
                        if (eq <= 0)
                        {
                            throw new ArgumentException($"expected KEY=VALUE, got '{kv}'");
                        }
                        report.Info[kv[..eq]] = kv[(eq + 1)..];
                        break;
                    }
                default: throw new ArgumentException($"unknown argument {args[i]}");
            }
        }
        if (outDir is null)
        {
            throw new ArgumentException("need --out");
        }
        report.Info.TryAdd("command", "make bench");
        report.Info["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
        report.Info["nproc"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture);
        report.Info["kernel"] = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        report.Info["cpu"] = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        report.Info.TryAdd("loadavg", string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)));
        report.Info["version.runtime"] = RuntimeInformation.FrameworkDescription;

        var sizes = quick
            ? new ReplayOptions(1, 20_000, 40_000, 5_000, 200_000, 20_000, 50_000, 2)
            : new ReplayOptions(1, 100_000, 200_000, 10_000, 1_500_000, 100_000, 50_000, 10);
        var churnTime = TimeSpan.FromSeconds(quick ? 3 : 10);
        int latencySamples = quick ? 5 : 20;
        int tickles = 10_000;
        int tickleRuns = quick ? 1 : 5;
        report.TickleCount = tickles;
        report.TickleUpdateInterval = 2;

        if (parts.IndexOfAny(['a', 'b', 'c', 'd']) >= 0)
        {
            using var lab = new BenchLab(outDir);
            Part(report, "a replay", parts.Contains('a', StringComparison.Ordinal), () =>
            {
                var recorded = EventRecorder.Record(lab);
                report.ReplaySource = string.Create(CultureInfo.InvariantCulture,
                    $"Messages: the kernel's own NEW ({recorded.NewLength} bytes) and DESTROY ({recorded.DestroyLength} bytes) for a connection to 10.79.0.100:2049, recorded from a conntrack event socket in the server namespace (DESTROY made with conntrack -D), copied for {1 << 17:N0} clients (10.80.0.0/16, {recorded.New.Places} places patched per message). Long-lived: {sizes.LongLived:N0} NEW, then their DESTROY. Churn: {sizes.ChurnPairs:N0} connections, each closed {sizes.ChurnWindow:N0} opens after it opened. Sustained churn: {sizes.SustainedPairs:N0} connections, each closed {sizes.SustainedWindow:N0} opens after it opened (open across commits, so written and removed). Fixed rate: {sizes.FixedRate:N0} events/s for {sizes.FixedSeconds} s, each connection closed {sizes.FixedRate / 2:N0} opens (1 s) after it opened.");
                var replay = new ReplayBench(lab, recorded, sizes);
                replay.Run();
                report.Replay.AddRange(replay.Phases);
                report.ReplayLeftOnNode1 = replay.LeftOnNode1;
            });
            bool running = false;
            Part(report, "b real churn", parts.Contains('b', StringComparison.Ordinal), () =>
            {
                lab.StartTracker(1);
                running = true;
                report.Churns.Add(ChurnBench.Run(lab, churnTime, 2, 1, churnTool));
                report.Churns.Add(ChurnBench.Run(lab, churnTime, 1, 1, churnTool));
                report.Burst = BurstBench.Run(lab, quick ? 2000 : 8000, 2, 1);
            });
            Part(report, "c latency", parts.Contains('c', StringComparison.Ordinal), () =>
            {
                running = true;
                report.Latency.Add(LatencyBench.Run(lab, 1, latencySamples));
                report.Latency.Add(LatencyBench.Run(lab, 0, latencySamples));
            });
            Part(report, "d tickles", parts.Contains('d', StringComparison.Ordinal), () =>
            {
                if (running)
                {
                    lab.StopTracker();
                }
                lab.KeepAccepted = true;
                lab.StartTracker(1);
                report.Tickles.AddRange(TickleBench.Run(lab, tickles, tickleRuns, floor, tickleTcp));
            });
        }
        Part(report, "e ctdbd beside ours", parts.Contains('e', StringComparison.Ordinal), () =>
        {
            foreach (var kind in new[] { DaemonKind.Ours, DaemonKind.Ctdb })
            {
                report.SideBySide.Add(SideBySide.Run(kind, quick ? 1000 : 5000, quick ? 1000 : 5000, quick ? 2 : 5, report.TickleUpdateInterval));
            }
        });

        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "conntrack.md"), report.Markdown());
        File.WriteAllText(Path.Combine(outDir, "conntrack.json"), report.Json() + "\n");
        Console.WriteLine(report.Markdown());
        return 0;
    }

    private static void Part(ConntrackReport report, string name, bool wanted, Action run)
    {
        if (!wanted)
        {
            return;
        }
        try
        {
            run();
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or System.Net.Sockets.SocketException
            or Client.CtdbConnectionException or Client.CtdbControlException or ArgumentException)
        {
            Console.Error.WriteLine($"conntrack-bench: {name} failed: {e}");
            report.Failures.Add($"{name}: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
        }
    }
}
