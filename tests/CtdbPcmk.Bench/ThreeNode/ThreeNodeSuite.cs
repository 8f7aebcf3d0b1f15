// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using CtdbPcmk.Client;

namespace CtdbPcmk.Bench.ThreeNode;

/// <summary>Runs every three-node measurement against every cluster with the same client code.</summary>
internal sealed class ThreeNodeSuite(IReadOnlyList<ThreeNodeTarget> targets, int recoveryRuns)
{
    public const int Rounds = 5;

    /// <summary>Time after a recovery before the next kill, for ctdbd: its RerecoveryTimeout (10 s) would otherwise delay the next recovery.</summary>
    public static readonly TimeSpan CtdbSettle = TimeSpan.FromSeconds(11);

    /// <summary>The same for ours, which has no such hold-off.</summary>
    public static readonly TimeSpan OursSettle = TimeSpan.FromSeconds(1);

    public static readonly (string Key, string Title, Func<LocalCluster, IRound> Make)[] Micro =
    [
        ("forwarded-ping", "Forwarded control (PING from a client of node 0 to node 1)", c => new ForwardedPing(c)),
        ("migration-2", "Migration ring, 2 nodes (lmaster one of them)", c => new MigrationRing(c, [0, 1], lmasterInRing: true)),
        ("migration-2-via-3rd", "Migration ring, 2 nodes (lmaster the third node)", c => new MigrationRing(c, [0, 1], lmasterInRing: false)),
        ("migration-3", "Migration ring, 3 nodes", c => new MigrationRing(c, [0, 1, 2], lmasterInRing: true)),
        ("message-ring", "Message ring, 3 nodes", c => new MessageRing(c)),
        ("message-stream", $"Message ring, 3 nodes, {MessageStream.InFlight} messages in flight", c => new MessageStream(c)),
    ];

    private readonly Dictionary<string, DateTime> _lastRecovery = [];

    public Dictionary<(string Bench, string Target), Outcome> MicroResults { get; } = [];

    /// <summary>tests/bench/floor/ring-floor.c, built; null: no floor in this run.</summary>
    public string? RingFloorBinary { get; init; }

    /// <summary>The floor's figures by measurement name, when it ran.</summary>
    public Dictionary<string, LatencyStats>? Floor { get; private set; }

    public string? FloorError { get; private set; }

    public Dictionary<(bool Leader, string Target), RecoveryOutcome> RecoveryResults { get; } = [];

    public int RecoveryRuns => recoveryRuns;

    public void Run()
    {
        foreach (var t in targets.Where(t => t.Cluster is not null))
        {
            using var c = CtdbClient.Connect(t.Cluster!.Socket(0));
            c.AttachDatabase(MigrationRing.Database);
            c.AttachDatabase(RecoveryRun.Database);
        }
        foreach (var bench in Micro)
        {
            RunMicro(bench.Key, bench.Make);
        }
        if (RingFloorBinary is not null)
        {
            try
            {
                Floor = RingFloor.Run(RingFloorBinary);
                BenchSuite.Log($"ring floor: {string.Join(", ", Floor.Select(kv => $"{kv.Key} {kv.Value.OpsPerSecond:F0}/s"))}");
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or KeyNotFoundException or IndexOutOfRangeException or System.ComponentModel.Win32Exception)
            {
                FloorError = e.Message;
                BenchSuite.Log($"ring floor: {e.Message}");
            }
        }
        foreach (bool leader in new[] { false, true })
        {
            foreach (var t in targets)
            {
                RecoveryResults[(leader, t.Name)] = new RecoveryOutcome { Error = t.Unavailable };
            }
            for (int run = 1; run <= recoveryRuns; run++)
            {
                var order = run % 2 == 1 ? targets : targets.Reverse();
                foreach (var t in order)
                {
                    RunRecovery(t, leader, run);
                }
            }
        }
    }

    /// <summary>Only the measurements named by <paramref name="keys"/> (of <see cref="Micro"/>), no floor, no recovery runs.</summary>
    public void RunMicroOnly(IReadOnlyCollection<string> keys)
    {
        foreach (var t in targets.Where(t => t.Cluster is not null))
        {
            using var c = CtdbClient.Connect(t.Cluster!.Socket(0));
            c.AttachDatabase(MigrationRing.Database);
        }
        foreach (var bench in Micro.Where(b => keys.Contains(b.Key)))
        {
            RunMicro(bench.Key, bench.Make);
        }
    }

    private void RunMicro(string key, Func<LocalCluster, IRound> make)
    {
        var prepared = new Dictionary<string, IRound>();
        var rounds = targets.ToDictionary(t => t.Name, _ => new List<PhaseResult>());
        try
        {
            foreach (var t in targets)
            {
                if (t.Cluster is null)
                {
                    MicroResults[(key, t.Name)] = new Outcome(null, t.Unavailable);
                    continue;
                }
                try
                {
                    var r = make(t.Cluster);
                    prepared[t.Name] = r;
                    r.Warmup();
                }
                catch (Exception e) when (IsBenchFailure(e))
                {
                    MicroResults[(key, t.Name)] = new Outcome(null, e.Message);
                    Log($"{key} {t.Name}: FAILED: {e.Message}");
                }
            }
            for (int round = 0; round < Rounds; round++)
            {
                // Alternate the order so a load change on the host does not always hit the same daemon.
                foreach (var t in round % 2 == 0 ? targets : targets.Reverse())
                {
                    if (!prepared.TryGetValue(t.Name, out var r) || MicroResults.ContainsKey((key, t.Name)))
                    {
                        continue;
                    }
                    try
                    {
                        var p = r.Run();
                        rounds[t.Name].Add(p);
                        Log($"{key} round {round + 1} {t.Name}: {p.LatencyTicks.Length} ops, {p.OpsPerSecond:F0} ops/s{(p.HitTimeCap ? " (time cap)" : "")}");
                    }
                    catch (Exception e) when (IsBenchFailure(e))
                    {
                        MicroResults[(key, t.Name)] = new Outcome(null, e.Message);
                        Log($"{key} {t.Name}: FAILED: {e.Message}");
                    }
                }
            }
            foreach (var t in targets)
            {
                MicroResults.TryAdd((key, t.Name), new Outcome(LatencyStats.From(rounds[t.Name]), null));
            }
        }
        finally
        {
            foreach (var r in prepared.Values)
            {
                r.Dispose();
            }
        }
    }

    private void RunRecovery(ThreeNodeTarget t, bool leader, int run)
    {
        var outcome = RecoveryResults[(leader, t.Name)];
        if (t.Cluster is null || outcome.Error is not null)
        {
            return;
        }
        var c = t.Cluster;
        try
        {
            RecoveryRun.Rejoin(c);
            var settle = (t.Daemon == DaemonKind.Ctdb ? CtdbSettle : OursSettle) - (DateTime.UtcNow - _lastRecovery.GetValueOrDefault(t.Name));
            if (settle > TimeSpan.Zero)
            {
                Thread.Sleep(settle);
            }
            var timing = RecoveryRun.Measure(c, leader, run);
            outcome.Runs.Add(timing);
            Log($"{(leader ? "leader" : "non-leader")} kill run {run} {t.Name}: stable after {timing.FromKill:F3} s" +
                (timing.FromLeaderCommand is { } l ? $" ({l:F3} s after the leader command started, {timing.FromLeaderRole:F3} s after the new leader reported the role)" : ""));
            RecoveryRun.Rejoin(c);
            _lastRecovery[t.Name] = DateTime.UtcNow;
        }
        catch (Exception e) when (IsBenchFailure(e))
        {
            outcome.Error = e.Message;
            Log($"{(leader ? "leader" : "non-leader")} kill run {run} {t.Name}: FAILED: {e.Message}");
        }
    }

    private static bool IsBenchFailure(Exception e) =>
        e is CtdbConnectionException or CtdbControlException or TimeoutException or InvalidOperationException or Protocol.ProtocolException;

    public static void Log(string line) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {line}");

    public static string Seconds(Stopwatch sw) => $"{sw.Elapsed.TotalSeconds:F1} s";
}
