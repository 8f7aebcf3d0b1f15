// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Globalization;
using System.Text;
using CtdbPcmk.Client;

namespace CtdbPcmk.Bench.Vacuum;

/// <summary>
/// ctdbpcmk-bench vacuum --out DIR --work DIR [--cycles N] [--settle SECONDS] [--rounds R] [--info KEY=VALUE]...
/// Vacuuming under churn, ours and ctdbd 4.17 in one run: on a three-node cluster of each (one
/// after the other, default tunables: VacuumInterval 10 s, RepackLimit 10000), one worker creates
/// and deletes N records as smbd does, cycle i through node i mod 3 (half of them read on the next node in between),
/// while every node's copy of the database is sampled every 2 s (records, empty records, file
/// size); then the churn stops and the sampling goes on for the settle time; R rounds of this
/// (default 2: the second shows whether the space the first left free is used again). Writes
/// DIR/vacuum.md. Exit 0 when both daemons were measured.
/// </summary>
internal static class VacuumChurnCommand
{
    private const string Database = "bench-churn.tdb";

    public static int Run(string[] args)
    {
        var options = CommandOptions.Parse(args, "out", "work", "cycles", "settle", "rounds");
        string? outDir = options.Get("out");
        string? work = options.Get("work");
        int cycles = options.GetInt("cycles", 200_000);
        int settle = options.GetInt("settle", 60);
        int rounds = options.GetInt("rounds", 2);
        var info = options.Info;
        if (outDir is null || work is null || cycles < 3)
        {
            throw new ArgumentException("vacuum needs --out DIR and --work DIR (and --cycles ≥ 3)");
        }
        var results = new List<ChurnResult>();
        foreach (var (name, kind) in new[] { ("ours", DaemonKind.Ours), ("ctdbd", DaemonKind.Ctdb) })
        {
            Console.Error.WriteLine($"vacuum bench: {name}, {cycles} cycles");
            results.AddRange(Measure(name, kind, Path.Combine(work, "vacuum-" + name), cycles, settle, rounds));
        }
        options.StampRun();
        Directory.CreateDirectory(outDir);
        string md = ChurnReport.Markdown(results, cycles, settle, info);
        File.WriteAllText(Path.Combine(outDir, "vacuum.md"), md);
        Console.WriteLine(md);
        return results.All(r => r.Error is null) ? 0 : 1;
    }

    /// <summary>Rounds of churn then settling on one cluster of <paramref name="kind"/>; one result a round.</summary>
    private static List<ChurnResult> Measure(string name, DaemonKind kind, string dir, int cycles, int settle, int rounds)
    {
        var results = new List<ChurnResult>();
        Directory.CreateDirectory(dir);
        LocalCluster? cluster = null;
        ChurnWorker? worker = null;
        try
        {
            cluster = LocalCluster.Start(kind, 3, ClusterReadiness.Stable, TimeSpan.FromSeconds(120), dir);
            worker = new ChurnWorker(cluster, Database);
            for (int round = 0; round < rounds; round++)
            {
                var result = new ChurnResult(name, round + 1);
                results.Add(result);
                Round(worker, result, round * cycles, cycles, settle);
                if (result.Error is not null)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is InvalidOperationException or CtdbConnectionException or Tdb.TdbException or TimeoutException or IOException)
        {
            if (results.Count == 0)
            {
                results.Add(new ChurnResult(name, 1));
            }
            results[^1].Error = e.Message;
        }
        finally
        {
            worker?.Dispose();
            cluster?.Dispose();
        }
        return results;
    }

    /// <summary>Cycles <paramref name="first"/> onwards (new keys), sampling every 2 s, then <paramref name="settle"/> seconds of samples.</summary>
    private static void Round(ChurnWorker w, ChurnResult result, int first, int cycles, int settle)
    {
        var clock = Stopwatch.StartNew();
        var errors = new List<string>();
        var thread = new Thread(() =>
        {
            try
            {
                var next = TimeSpan.Zero;
                for (int i = 0; i < cycles; i++)
                {
                    if (clock.Elapsed >= next)
                    {
                        result.During.Add(w.Sample(clock.Elapsed.TotalSeconds));
                        next = clock.Elapsed + TimeSpan.FromSeconds(2);
                    }
                    w.Cycle(first + i);
                }
            }
            catch (Exception e) when (e is InvalidOperationException or CtdbConnectionException or Tdb.TdbException or TimeoutException)
            {
                lock (errors)
                {
                    errors.Add(e.Message);
                }
            }
        });
        long before = w.Cycles;
        thread.Start();
        thread.Join();
        result.ChurnSeconds = clock.Elapsed.TotalSeconds;
        result.Cycles = w.Cycles - before;
        var stopAt = clock.Elapsed.TotalSeconds + settle;
        while (clock.Elapsed.TotalSeconds < stopAt)
        {
            Thread.Sleep(2000);
            result.After.Add(w.Sample(clock.Elapsed.TotalSeconds));
        }
        if (errors.Count != 0)
        {
            result.Error = string.Join("; ", errors);
        }
    }
}

/// <summary>What one daemon's churn run measured.</summary>
internal sealed class ChurnResult(string name, int round)
{
    public string Name { get; } = name;
    public int Round { get; } = round;
    public long Cycles { get; set; }
    public double ChurnSeconds { get; set; }
    public List<FileSample[]> During { get; } = [];
    public List<FileSample[]> After { get; } = [];
    public string? Error { get; set; }
}

/// <summary>The markdown of the vacuum benchmark.</summary>
internal static class ChurnReport
{
    public static string Markdown(List<ChurnResult> results, int cycles, int settle, Dictionary<string, string> info)
    {
        var s = new StringBuilder();
        CommandOptions.AppendHeader(s, "Vacuuming under churn: ctdb-pcmkd and ctdbd 4.17", info);
        s.AppendLine(CultureInfo.InvariantCulture, $"Three nodes each; {cycles} create/delete cycles of new keys spread over the nodes (cycle i through node i mod 3, as smbd: migrate, write under the chain lock, store empty, SCHEDULE_FOR_DELETION; every other record read on the next node first). Default tunables (VacuumInterval 10 s, VacuumFastPathCount 60, RepackLimit 10000). Every node's file sampled every 2 s during the churn and for {settle} s after it; then the same again with new keys (round 2) on the same cluster. A TDB file does not shrink while it is open (a repack compacts the records inside it), so what round 2 shows is whether the space round 1 freed is used again.");
        s.AppendLine();
        s.AppendLine("| daemon | round | cycles | churn s | cycles/s | peak records (any node) | peak file KiB | records at end (per node) | file KiB at end (per node) | records ≤ 1 % of peak after |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|---|---:|");
        foreach (var r in results)
        {
            var all = r.During.Concat(r.After).ToList();
            if (all.Count == 0)
            {
                s.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {r.Round} | – | – | – | – | – | – | – | – |");
                continue;
            }
            long peak = all.Max(row => row.Max(f => f.Records));
            long peakBytes = all.Max(row => row.Max(f => f.Bytes));
            var end = all[^1];
            double churnEnd = r.ChurnSeconds;
            var settled = r.After.FirstOrDefault(row => row.All(f => f.Records <= Math.Max(1, peak / 100)));
            string settledText = settled is null ? "not within the settle time" : $"{settled[0].Seconds - churnEnd:F0} s";
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Name} | {r.Round} | {r.Cycles} | {r.ChurnSeconds:F1} | {r.Cycles / Math.Max(0.001, r.ChurnSeconds):F0} | {peak} | {peakBytes / 1024} | {string.Join(" / ", end.Select(f => f.Records))} | {string.Join(" / ", end.Select(f => f.Bytes / 1024))} | {settledText} |");
        }
        s.AppendLine();
        foreach (var r in results.Where(r => r.Error is not null))
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"- {r.Name}, round {r.Round}: error: {r.Error}");
        }
        s.AppendLine();
        s.AppendLine("Samples (seconds from the churn's start; records/empty/KiB of nodes 0, 1, 2):");
        s.AppendLine();
        foreach (var r in results)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"{r.Name}, round {r.Round}:");
            s.AppendLine("```");
            foreach (var row in r.During.Concat(r.After).Where((_, i) => i % 5 == 0 || i == r.During.Count - 1))
            {
                string nodes = string.Join("   ", row.Select(f => $"{f.Records}/{f.Empty}/{f.Bytes / 1024}"));
                s.AppendLine(CultureInfo.InvariantCulture, $"{row[0].Seconds,6:F0} s  {nodes}");
            }
            s.AppendLine("```");
        }
        return s.ToString();
    }
}
