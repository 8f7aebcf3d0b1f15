// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Runtime.InteropServices;

namespace CtdbPcmk.Bench.ThreeNode;

/// <summary>
/// ctdbpcmk-bench three-node --out DIR --work DIR [--runs N] [--ring-floor BINARY] [--info KEY=VALUE]...
/// Starts a three-node cluster of each daemon under the work directory (WORK/ours3, WORK/ctdb3),
/// measures both and writes DIR/three-node.md and .json; both clusters are torn down on every
/// exit path. Exit 0 when the report is written and the ctdbd column is complete.
/// </summary>
internal static class ThreeNodeCommand
{
    public static int Run(string[] args)
    {
        var options = CommandOptions.Parse(args, "out", "work", "runs", "ring-floor");
        string? outDir = options.Get("out");
        string? work = options.Get("work");
        int runs = options.GetInt("runs", 3);
        string? ringFloor = options.Get("ring-floor");
        var info = options.Info;
        if (outDir is null || work is null || runs < 1)
        {
            throw new ArgumentException("three-node needs --out DIR and --work DIR (and --runs ≥ 1)");
        }
        var all = new Dictionary<string, string>
        {
            ["command"] = info.GetValueOrDefault("command", "make bench"),
            ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture),
            ["nproc"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
            ["kernel"] = File.ReadAllText("/proc/sys/kernel/osrelease").Trim(),
            ["cpu"] = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown",
            ["loadavg"] = string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)),
            ["version.runtime"] = RuntimeInformation.FrameworkDescription,
        };
        foreach (var (k, v) in info)
        {
            all[k] = v;
        }

        var targets = new List<ThreeNodeTarget> { new("ours", DaemonKind.Ours), new("ctdbd", DaemonKind.Ctdb) };
        try
        {
            var starts = targets.Select(t => Task.Run(() => Start(t, work))).ToArray();
            Task.WaitAll(starts);
            var suite = new ThreeNodeSuite(targets, runs) { RingFloorBinary = ringFloor };
            suite.Run();
            var report = new ThreeNodeReport(suite, targets, all);
            Directory.CreateDirectory(outDir);
            File.WriteAllText(Path.Combine(outDir, "three-node.md"), report.Markdown());
            File.WriteAllText(Path.Combine(outDir, "three-node.json"), report.Json());
            Console.WriteLine(report.Markdown());
            return report.Rows.Where(r => r.CtdbdError != "n/a").All(r => r.Ctdbd is not null) ? 0 : 1;
        }
        finally
        {
            foreach (var t in targets)
            {
                try
                {
                    t.Cluster?.Dispose();
                }
                catch (InvalidOperationException e)
                {
                    ThreeNodeSuite.Log($"{t.Name}: {e.Message}");
                }
            }
        }
    }

    private static void Start(ThreeNodeTarget t, string work)
    {
        string dir = Path.Combine(work, t.Daemon == DaemonKind.Ctdb ? "ctdb3" : "ours3");
        try
        {
            t.Cluster = LocalCluster.Start(t.Daemon, 3, ClusterReadiness.Stable, TimeSpan.FromSeconds(90), dir);
            ThreeNodeSuite.Log($"{t.Name}: 3 nodes stable in {dir}");
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            // The table gets the first line; the harness output and node logs go to the log.
            t.Unavailable = $"cluster did not start: {e.Message.Split('\n')[0]}";
            ThreeNodeSuite.Log($"{t.Name}: cluster did not start: {e.Message}");
        }
    }
}
