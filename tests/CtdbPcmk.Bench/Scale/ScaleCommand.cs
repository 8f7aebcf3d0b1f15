// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Globalization;
using CtdbPcmk.Bench.ThreeNode;
using CtdbPcmk.Client;

namespace CtdbPcmk.Bench.Scale;

/// <summary>
/// ctdbpcmk-bench scale --out DIR --work DIR [--nodes 3,8,16] [--records 10000,100000,1000000] [--daemons ours,ctdbd] [--logs DIR] [--ring-floor BINARY] [--store-floor BINARY] [--info KEY=VALUE]...
/// For each cluster size, a cluster of ours and one of ctdbd 4.17 (one after the other, in
/// WORK/scale-NAME-N): the volatile database is filled to each record count in turn (records
/// spread over every node), and at each count the traverse, the memory of every daemon and the
/// recovery after the SIGKILL of the last node are measured (the node is then started again and
/// the cluster waits to be whole). The migration and message rings run once per cluster size.
/// Writes DIR/scale.md and the plots DIR/scale-recovery.png, scale-memory.png, scale-traverse.png.
/// --ring-floor runs tests/bench/floor/ring-floor.c's relays just before each cluster's rings, so
/// that each rate has the floor of the same moment beside it (a CPU kept busy by anything else
/// makes wake-ups, and so every ring, several times faster on this kind of machine).
/// --store-floor runs tests/bench/floor/recovery-store-floor.c after each recovery: libtdb alone
/// storing the records that survive (at least records x (N-1)/N) on N-1 nodes at once, a floor
/// under any recovery of them on this machine.
/// --logs DIR keeps each node's log as DIR/NAME-N-node.P.log (the cluster directories go with the teardown).
/// Exit 0 when every point of both daemons was measured.
/// </summary>
internal static class ScaleCommand
{
    private const string Database = "bench-scale.tdb";

    /// <summary>Idle time before the memory is read.</summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(3);

    public static int Run(string[] args)
    {
        var options = CommandOptions.Parse(args, "out", "work", "nodes", "records", "daemons", "logs", "ring-floor", "store-floor");
        string outDir = options.Get("out") ?? throw new ArgumentException("scale needs --out DIR");
        string work = options.Get("work") ?? throw new ArgumentException("scale needs --work DIR");
        int[] nodes = List(options.Get("nodes") ?? "3,8,16").Select(v => (int)v).ToArray();
        long[] records = List(options.Get("records") ?? "10000,100000,1000000");
        string[] daemons = (options.Get("daemons") ?? "ours,ctdbd").Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (daemons.Length == 0 || daemons.Any(d => d is not ("ours" or "ctdbd")))
        {
            throw new ArgumentException("--daemons takes ours, ctdbd or both");
        }
        var info = options.Info;
        var points = new List<ScalePoint>();
        foreach (int n in nodes)
        {
            foreach (var (name, kind) in new[] { ("ours", DaemonKind.Ours), ("ctdbd", DaemonKind.Ctdb) })
            {
                if (!daemons.Contains(name))
                {
                    continue;
                }
                Console.Error.WriteLine($"scale bench: {name}, {n} nodes");
                points.AddRange(Measure(name, kind, n, records, Path.Combine(work, $"scale-{name}-{n}"), options.Get("logs"), options.Get("ring-floor"), options.Get("store-floor")));
            }
        }
        options.StampRun();
        Directory.CreateDirectory(outDir);
        string md = ScaleReport.Write(outDir, points, info);
        Console.WriteLine(md);
        return points.All(p => p.Error is null) ? 0 : 1;
    }

    private static long[] List(string csv) =>
        [.. csv.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).Order()];

    private static List<ScalePoint> Measure(string name, DaemonKind kind, int n, long[] records, string dir, string? logs, string? floor, string? storeFloor)
    {
        var points = new List<ScalePoint>();
        LocalCluster? cluster = null;
        try
        {
            Directory.CreateDirectory(dir);
            cluster = LocalCluster.Start(kind, n, ClusterReadiness.Stable, TimeSpan.FromSeconds(300), dir);
            var (floorMigrations, floorMessages) = floor is null ? ((double?)null, (double?)null) : Floor(floor);
            var (migrations, messages) = Rates(cluster);
            long created = 0;
            foreach (long r in records)
            {
                var p = new ScalePoint(name, n, r)
                {
                    MigrationsPerSecond = migrations,
                    MessagesPerSecond = messages,
                    FloorMigrationsPerSecond = floorMigrations,
                    FloorMessagesPerSecond = floorMessages,
                };
                points.Add(p);
                try
                {
                    using (var populator = new ScalePopulator(cluster, Database, created))
                    {
                        populator.FillTo(r);
                        created = populator.Records;
                    }
                    Point(cluster, p);
                    if (storeFloor is not null)
                    {
                        p.StoreFloorSeconds = StoreFloor(storeFloor, dir, n, r);
                    }
                }
                catch (Exception e) when (e is InvalidOperationException or TimeoutException or CtdbConnectionException or Tdb.TdbException)
                {
                    p.Error = e.Message.Split('\n')[0];
                    break;
                }
            }
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or CtdbConnectionException or IOException)
        {
            points.Add(new ScalePoint(name, n, 0) { Error = e.Message.Split('\n')[0] });
        }
        finally
        {
            if (cluster is not null && logs is not null)
            {
                KeepLogs(cluster, logs, $"{name}-{n}");
            }
            cluster?.Dispose();
        }
        return points;
    }

    /// <summary>Traverse, memory, then the loss and return of the last node.</summary>
    private static void Point(LocalCluster cluster, ScalePoint p)
    {
        var clock = Stopwatch.StartNew();
        var t = cluster.Ctdb(0, "catdb", Database);
        if (!t.Ok)
        {
            throw new InvalidOperationException($"ctdb catdb: {t}");
        }
        p.TraverseSeconds = clock.Elapsed.TotalSeconds;
        // Right after the traverse (what it left behind included), then once the daemons have
        // been idle for a few seconds, as an administrator would find them.
        p.MeanRssAfterTraverseMiB = Enumerable.Range(0, cluster.Nodes).Average(i => ProcessMemory.TreeRssAndAnonMiB(Pid(cluster, i)).Rss);
        Thread.Sleep(SettleTime);
        var memory = Enumerable.Range(0, cluster.Nodes).Select(i => ProcessMemory.TreeRssAndAnonMiB(Pid(cluster, i))).ToList();
        p.MeanRssMiB = memory.Average(m => m.Rss);
        p.MaxRssMiB = memory.Max(m => m.Rss);
        p.MeanAnonMiB = memory.Average(m => m.Anon);
        // The last node that is not the leader: the recovery measured is the records', not an election's.
        int leader = cluster.Leader(0);
        int victim = Enumerable.Range(0, cluster.Nodes).Last(i => i != leader);
        uint generation = cluster.Generation();
        cluster.Kill(victim);
        p.RecoverySeconds = cluster.WaitStable([victim], generation, TimeSpan.FromSeconds(300)).TotalSeconds;
        generation = cluster.Generation();
        cluster.StartNode(victim);
        cluster.WaitStable([], generation, TimeSpan.FromSeconds(300));
    }

    private static void KeepLogs(LocalCluster cluster, string logs, string prefix)
    {
        Directory.CreateDirectory(logs);
        for (int i = 0; i < cluster.Nodes; i++)
        {
            string log = Path.Combine(cluster.Directory, $"node.{i}", "log");
            if (File.Exists(log))
            {
                File.Copy(log, Path.Combine(logs, $"{prefix}-node.{i}.log"), overwrite: true);
            }
        }
    }

    private static int Pid(LocalCluster cluster, int pnn) =>
        int.Parse(cluster.Ok("pid", pnn.ToString(CultureInfo.InvariantCulture)).Trim(), CultureInfo.InvariantCulture);

    /// <summary>recovery-store-floor with the surviving nodes and records of a point, in seconds.</summary>
    private static double StoreFloor(string binary, string dir, int nodes, long records)
    {
        string scratch = Path.Combine(dir, "store-floor");
        Directory.CreateDirectory(scratch);
        try
        {
            var r = Sh.Run([binary, scratch, (nodes - 1).ToString(CultureInfo.InvariantCulture),
                (records / nodes).ToString(CultureInfo.InvariantCulture), (records * (nodes - 1) / nodes).ToString(CultureInfo.InvariantCulture)],
                timeoutMs: 600_000);
            string line = r.Stdout.Trim();
            if (!r.Ok || !line.StartsWith("store_floor_ms=", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{binary}: {r}");
            }
            return double.Parse(line["store_floor_ms=".Length..], CultureInfo.InvariantCulture) / 1000;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>The ring floor's two-node migration and message hop rates, measured now.</summary>
    private static (double? Migrations, double? Messages) Floor(string binary)
    {
        var f = RingFloor.Run(binary);
        return (f.GetValueOrDefault("migration-2")?.OpsPerSecond, f.GetValueOrDefault("message-ring")?.OpsPerSecond);
    }

    /// <summary>The migration ring over every node and the message ring, once per cluster.</summary>
    private static (double? Migrations, double? Messages) Rates(LocalCluster cluster)
    {
        double? migrations = null;
        double? messages = null;
        // Each measured on its third round: the daemons under test may be JIT builds that are
        // still compiling their hot paths in the first ones.
        using (var ring = new MigrationRing(cluster, [.. Enumerable.Range(0, cluster.Nodes)], lmasterInRing: true))
        {
            ring.Warmup();
            ring.Run();
            ring.Run();
            migrations = ring.Run().OpsPerSecond;
        }
        using (var ring = new MessageRing(cluster))
        {
            ring.Warmup();
            ring.Run();
            ring.Run();
            messages = ring.Run().OpsPerSecond;
        }
        return (migrations, messages);
    }
}
