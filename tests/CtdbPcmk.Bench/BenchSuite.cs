// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using CtdbPcmk.Client;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Bench;

/// <summary>Runs every measurement against every target with the same client code.</summary>
internal sealed class BenchSuite
{
    /// <summary>The result name of the floor: the minimal control responder.</summary>
    public const string FloorName = "floor";

    private readonly IReadOnlyList<BenchTarget> _targets;
    private readonly BenchTarget? _floor;

    public BenchSuite(IReadOnlyList<BenchTarget> targets, BenchTarget? floor)
    {
        _targets = targets;
        _floor = floor;
    }

    public Dictionary<(string Bench, int Clients, string Target), Outcome> Results { get; } = [];

    public Dictionary<string, RssOutcome> Rss { get; } = [];

    public void Run()
    {
        foreach (var t in _targets)
        {
            Probe(t);
        }
        MeasureIdleRss();
        foreach (var t in Available())
        {
            WriteFetchRecords(t);
        }
        foreach (var plan in BenchPlan.All)
        {
            foreach (int clients in BenchPlan.ClientCounts)
            {
                RunBench(plan, clients);
            }
        }
    }

    private IEnumerable<BenchTarget> Available() => _targets.Where(t => t.Unavailable is null);

    private static void Probe(BenchTarget t)
    {
        if (t.Unavailable is not null)
        {
            return;
        }
        try
        {
            using var c = CtdbClient.Connect(t.SocketPath!);
            c.Timeout = TimeSpan.FromSeconds(5);
            c.GetPnn();
            c.Ping();
            t.Pid ??= c.GetPid();
            WaitUntilReady(c, t);
            Log($"{t.Name}: answering on {t.SocketPath}, pid {t.Pid}");
        }
        catch (Exception e) when (e is CtdbConnectionException or CtdbControlException or TimeoutException)
        {
            t.Unavailable = $"daemon did not answer: {e.Message}";
            Log($"{t.Name}: {t.Unavailable}");
        }
    }

    /// <summary>
    /// The socket accepts before the first recovery is over (ctdbd defers attaches until then):
    /// wait for RUNNING with recovery mode NORMAL, at most 60 s.
    /// </summary>
    private static void WaitUntilReady(CtdbClient c, BenchTarget t)
    {
        var sw = Stopwatch.StartNew();
        while (c.GetRunState() != RunState.Running || c.GetRecMode() != RecoveryMode.Normal)
        {
            if (sw.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"{t.Name} did not reach RUNNING with recovery mode NORMAL within 60 s");
            }
            Thread.Sleep(100);
        }
        Log($"{t.Name}: ready after {Elapsed(sw)}");
    }

    private void MeasureIdleRss()
    {
        var attached = new List<BenchTarget>();
        foreach (var t in Available())
        {
            try
            {
                using var c = CtdbClient.Connect(t.SocketPath!);
                c.Timeout = TimeSpan.FromSeconds(20);
                IdleDatabases.Attach(c);
                attached.Add(t);
            }
            catch (Exception e) when (e is CtdbConnectionException or CtdbControlException or TimeoutException)
            {
                Rss[t.Name] = RssOutcome.Failed($"attaching the {IdleDatabases.Count} databases failed: {e.Message}");
            }
        }
        Log($"attached {IdleDatabases.Count} databases; idle for 5 s");
        Thread.Sleep(TimeSpan.FromSeconds(5));
        foreach (var t in attached)
        {
            int pid = t.Pid!.Value;
            var (treeMiB, procs) = ProcessMemory.TreeRssMiB(pid);
            Rss[t.Name] = new RssOutcome(pid, ToMB(ProcessMemory.RssMiB(pid)), ToMB(treeMiB), procs, null);
            Log($"{t.Name}: VmRSS {Rss[t.Name].MainMB:F1} MB (pid {pid}); with {procs - 1} child processes {Rss[t.Name].TreeMB:F1} MB");
        }
    }

    private static double ToMB(double mib) => mib * 1024 * 1024 / 1e6;

    private void WriteFetchRecords(BenchTarget t)
    {
        int max = BenchPlan.ClientCounts.Max();
        var env = new Dictionary<string, string>(t.ToolEnvironment);
        env.TryAdd("CTDB_SOCKET", t.SocketPath!);
        try
        {
            // The tool writes only into databases that are already attached.
            using (var c = CtdbClient.Connect(t.SocketPath!))
            {
                c.AttachDatabase(FetchOperation.Database);
            }
            for (int i = 0; i < max; i++)
            {
                var r = Sh.Run(["ctdb", "writekey", FetchOperation.Database, FetchOperation.Key(i), FetchOperation.Value(i)], env, timeoutMs: 30_000);
                if (!r.Ok)
                {
                    throw new InvalidOperationException($"ctdb writekey exited {r.Code}: {r.Stderr.Trim()}");
                }
            }
        }
        catch (Exception e) when (e is InvalidOperationException or CtdbConnectionException or CtdbControlException or TimeoutException)
        {
            foreach (int clients in BenchPlan.ClientCounts)
            {
                Results[("fetch", clients, t.Name)] = new Outcome(null, $"writing the records with the ctdb tool failed: {e.Message}");
            }
        }
    }

    private void RunBench(BenchPlan plan, int clients)
    {
        // The floor answers controls only, and is a floor for one client only (a responder
        // serving 16 clients from one thread is no bound for a daemon that might use two).
        IReadOnlyList<BenchTarget> targets = _floor is not null && plan.Key == "ping" && clients == 1 ? [.. _targets, _floor] : _targets;
        var rounds = targets.ToDictionary(t => t.Name, _ => new List<PhaseResult>());
        var (warmup, iterations) = plan.Counts(clients);
        for (int round = 0; round < BenchPlan.Rounds; round++)
        {
            // Alternate the order so a load change on the host does not always hit the same daemon.
            var order = round % 2 == 0 ? targets : targets.Reverse();
            foreach (var t in order)
            {
                if (t.Unavailable is not null || Results.ContainsKey((plan.Key, clients, t.Name)))
                {
                    continue;
                }
                try
                {
                    var r = LoadRunner.Run(t.SocketPath!, clients, warmup, iterations, plan.Cap, plan.Prepare);
                    rounds[t.Name].Add(r);
                    Log($"{plan.Key} clients={clients} round={round + 1} {t.Name}: {r.LatencyTicks.Length} ops, {r.OpsPerSecond:F0} ops/s{(r.HitTimeCap ? " (time cap)" : "")}");
                }
                catch (Exception e) when (e is CtdbConnectionException or CtdbControlException or TimeoutException or InvalidOperationException)
                {
                    Results[(plan.Key, clients, t.Name)] = new Outcome(null, e.Message);
                    Log($"{plan.Key} clients={clients} {t.Name}: FAILED: {e.Message}");
                }
            }
        }
        foreach (var t in targets)
        {
            var key = (plan.Key, clients, t.Name);
            if (t.Unavailable is not null)
            {
                Results[key] = new Outcome(null, t.Unavailable);
            }
            else if (!Results.ContainsKey(key))
            {
                Results[key] = new Outcome(LatencyStats.From(rounds[t.Name]), null);
            }
        }
    }

    public static void Log(string line) =>
        Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {line}");

    public static string Elapsed(Stopwatch sw) => $"{sw.Elapsed.TotalSeconds:F1} s";
}
