// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Faults;

/// <summary>
/// Kills during writes. On a 3-node cluster every node runs two writers at once, ctdb ptrans on
/// a persistent database and on a replicated one, while a random node (the leader included) is
/// SIGKILLed by its recorded PID, the survivors recover (for ctdb-pcmkd the harness gives the
/// leader role to a survivor when the leader died, as Pacemaker would), commit for a while
/// without it, and the node is started again and rejoins. Half the kills wait for a commit of
/// the victim's writers to be running and land a random fraction of a typical commit's time
/// after its tool started. At the end (all nodes up and recovered): every node's copy of both
/// databases holds every acknowledged write and no acknowledged delete, all copies are identical,
/// every node is OK in "ctdb status", and every TDB file passes "tdbtool check".
/// </summary>
internal sealed class KillRun
{
    private readonly KillOptions _o;
    private readonly Journal _j;
    private readonly KillResult _result;
    private readonly Random _random;
    private readonly bool[] _up = new bool[KillOptions.Nodes];

    private KillRun(KillOptions o, Journal j)
    {
        _o = o;
        _j = j;
        _result = new KillResult { Daemon = o.Daemon, Seed = o.Seed };
        _random = new Random(o.Seed);
    }

    public static KillResult Execute(KillOptions o, Journal j) => new KillRun(o, j).Run();

    private bool Up(int pnn) => Volatile.Read(ref _up[pnn]);

    private KillResult Run()
    {
        var sw = Stopwatch.StartNew();
        _j.Add($"kills: {_o.Daemon} cluster of {KillOptions.Nodes}, {_o.Kills} kills, seed {_o.Seed}");
        using var c = LocalCluster.Start(_o.Daemon, KillOptions.Nodes, ClusterReadiness.Stable, TimeSpan.FromSeconds(120));
        try
        {
            RunOn(c);
        }
        finally
        {
            _result.Duration = sw.Elapsed;
        }
        return _result;
    }

    private void RunOn(LocalCluster c)
    {
        Attach(c, KillOptions.PersistentDb, "persistent");
        Attach(c, KillOptions.ReplicatedDb, "replicated");
        for (int p = 0; p < KillOptions.Nodes; p++)
        {
            _up[p] = true;
        }
        var writers = new List<PtransWriter>();
        for (int p = 0; p < KillOptions.Nodes; p++)
        {
            writers.Add(new PtransWriter(c, p, KillOptions.PersistentDb, $"p{p}", Up));
            writers.Add(new PtransWriter(c, p, KillOptions.ReplicatedDb, $"r{p}", Up));
        }
        try
        {
            WaitFirstAcks(writers);
            for (int k = 1; k <= _o.Kills; k++)
            {
                if (_o.Budget is { } budget && _j.Elapsed > budget)
                {
                    _result.StoppedByBudget = $"time budget of {budget.TotalMinutes:F0} min reached after {k - 1} of {_o.Kills} kills";
                    _j.Add(_result.StoppedByBudget);
                    break;
                }
                KillOnce(c, writers, k);
            }
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or CtdbPcmk.Client.CtdbConnectionException)
        {
            _result.Aborted = FirstLines(e.Message, 12);
            _j.Add("ABORTED: " + _result.Aborted);
        }
        finally
        {
            foreach (var w in writers)
            {
                w.Stop();
            }
        }
        _j.Add("writers stopped");
        Count(writers);
        if (_result.Aborted is null)
        {
            try
            {
                var gen = WireFormat.InvalidGeneration;
                c.WaitStable([], gen, _o.RecoveryLimit, healthy: true);
                Check(c, writers);
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException or CtdbPcmk.Client.CtdbConnectionException or CtdbPcmk.Client.CtdbControlException)
            {
                _result.Aborted = "final check: " + FirstLines(e.Message, 12);
            }
        }
        _result.HopWarnings = HopWarnings(c);
        var stop = c.Harness("stop", "all");
        if (!stop.Ok)
        {
            _result.Problems.Add("stop all failed: " + stop);
        }
        var (n, failed) = TdbIntegrity.CheckAll(c.Directory);
        _result.TdbChecked = n;
        _result.TdbCorrupt = failed.Count;
        _result.Problems.AddRange(failed);
        _j.Add($"tdbtool check: {n} files, {failed.Count} failed");
        if (!_result.Passed)
        {
            foreach (var w in writers)
            {
                foreach (var f in w.LastFailures(5))
                {
                    _j.Add("writer failure: " + f);
                }
            }
            _result.EvidenceDir = Evidence.Keep(_o.EvidenceRoot, $"kills-{_o.Daemon.ToString().ToLowerInvariant()}", c, _j, _result.Lines());
            if (_result.EvidenceDir is { } dir)
            {
                // Every commit's times and outcome, sorted by start: what ran around a loss or a resurrection.
                File.WriteAllLines(Path.Combine(dir, "commits.txt"), writers.SelectMany(w => w.CommitLog).Order(StringComparer.Ordinal));
            }
        }
    }

    private static void Attach(LocalCluster c, string db, string kind)
    {
        var r = CtdbTool.Run(c, 0, ["attach", db, kind], null, TimeSpan.FromSeconds(60));
        if (!r.Ok)
        {
            throw new InvalidOperationException($"ctdb attach {db} {kind}: {r.Output}\n{c.LogTail()}");
        }
    }

    private void WaitFirstAcks(List<PtransWriter> writers)
    {
        var sw = Stopwatch.StartNew();
        while (writers.Any(w => !w.History.Outcomes.Contains(true)))
        {
            if (sw.Elapsed > _o.RecoveryLimit)
            {
                throw new TimeoutException("not every writer got a commit acknowledged: " +
                    string.Join("; ", writers.SelectMany(w => w.LastFailures(2))));
            }
            Thread.Sleep(20);
        }
        _j.Add("every writer has an acknowledged commit");
    }

    private void KillOnce(LocalCluster c, List<PtransWriter> writers, int k)
    {
        int victim = _random.Next(KillOptions.Nodes);
        int observer = (victim + 1) % KillOptions.Nodes;
        int leader = c.Leader(observer);
        var mine = writers.Where(w => w.Pnn == victim).ToList();
        bool aimed = _random.Next(2) == 0;
        string timing;
        if (aimed)
        {
            var wait = Stopwatch.StartNew();
            while (!mine.Any(w => w.InFlight) && wait.ElapsedMilliseconds < 5000)
            {
                Thread.Sleep(1);
            }
            double mean = mine.Average(w => w.MeanAckedMs);
            int delay = (int)(mean * (0.4 + 0.7 * _random.NextDouble()));
            Thread.Sleep(delay);
            timing = $"aimed {delay} ms (typical commit {mean:F0} ms)";
        }
        else
        {
            int delay = _random.Next(400);
            Thread.Sleep(delay);
            timing = $"random {delay} ms";
        }
        var inFlight = mine.Where(w => w.InFlight).Select(w => $"{w.History.Prefix} +{w.InFlightForMs} ms").ToList();
        uint generation = c.Generation();
        Volatile.Write(ref _up[victim], false);
        c.Kill(victim);
        _result.Kills++;
        if (victim == leader)
        {
            _result.LeaderKills++;
        }
        if (inFlight.Count > 0)
        {
            _result.MidCommitKills++;
        }
        _j.Add($"kill {k}: node {victim}{(victim == leader ? " (leader)" : "")}, {timing}, in flight: {(inFlight.Count == 0 ? "none" : string.Join(", ", inFlight))}");
        if (_o.Daemon == DaemonKind.Ours && victim == leader)
        {
            var survivors = c.Alive.ToList();
            int next = survivors[_random.Next(survivors.Count)];
            c.SetLeader(next);
            _j.Add($"kill {k}: leader role given to node {next}");
        }
        var down = c.WaitStable([victim], generation, _o.RecoveryLimit);
        _result.DownRecoverySeconds.Add(down.TotalSeconds);
        Thread.Sleep(200 + _random.Next(1000));
        generation = c.Generation();
        c.StartNode(victim);
        Volatile.Write(ref _up[victim], true);
        var rejoin = c.WaitStable([], generation, _o.RecoveryLimit);
        _result.RejoinSeconds.Add(rejoin.TotalSeconds);
        _j.Add($"kill {k}: recovered without node {victim} in {down.TotalSeconds:F1} s, rejoined in {rejoin.TotalSeconds:F1} s; acked so far {writers.Sum(w => w.History.Outcomes.Count(a => a))}");
    }

    private void Count(List<PtransWriter> writers)
    {
        foreach (var w in writers)
        {
            var o = w.History.Outcomes;
            _result.Issued += o.Count;
            _result.Acked += o.Count(a => a);
            _result.Unknown += o.Count(a => !a);
            _result.Hung += w.Hung;
        }
        _j.Add($"commits issued {_result.Issued}, acknowledged {_result.Acked}, unknown {_result.Unknown}");
    }

    private void Check(LocalCluster c, List<PtransWriter> writers)
    {
        // The cluster must still serve: one more commit on every node and database, each with its own key.
        foreach (var w in writers)
        {
            var r = CtdbTool.Run(c, w.Pnn, ["ptrans", w.Db], $"\"final-{w.History.Prefix}\" \"done\"\n", TimeSpan.FromSeconds(30));
            if (!r.Ok)
            {
                _result.FinalCommitFailures++;
                _result.Problems.Add($"node {w.Pnn} {w.Db}: a commit after the run failed: exit {r.Code}: {r.Output}");
            }
        }
        foreach (var p in ClusterStatus.Problems(c, KillOptions.Nodes))
        {
            _result.StatusProblems++;
            _result.Problems.Add(p);
        }
        foreach (var (db, kind) in new[] { (KillOptions.PersistentDb, DatabaseKind.Persistent), (KillOptions.ReplicatedDb, DatabaseKind.Replicated) })
        {
            var histories = writers.Where(w => w.Db == db).Select(w => w.History).ToList();
            var copies = new List<Dictionary<string, string>>();
            for (int p = 0; p < KillOptions.Nodes; p++)
            {
                var copy = DbCopy.Read(c, p, db, kind);
                copies.Add(copy);
                var v = CopyVerdict.Judge($"node {p} {db}", copy, histories);
                _result.Checked += v.Checked;
                _result.Lost += v.Lost;
                _result.Resurrected += v.Resurrected;
                _result.Stale += v.Stale;
                _result.Unexpected += v.Unexpected;
                _result.Problems.AddRange(v.Problems);
                _j.Add($"node {p} {db}: {copy.Count} records, {v.Checked} keys checked, lost {v.Lost}, resurrected {v.Resurrected}, stale {v.Stale}, unexpected {v.Unexpected}");
            }
            for (int p = 1; p < KillOptions.Nodes; p++)
            {
                var diff = DbCopy.Differences(copies[0], copies[p]);
                if (diff.Count > 0)
                {
                    _result.CopyMismatches++;
                    _result.Problems.Add($"{db}: node 0 and node {p} differ in {diff.Count} keys, e.g. {string.Join("; ", diff.Take(5))}");
                }
            }
        }
    }

    /// <summary>Lines of the nodes' logs about calls with many hops (ours: "has made N hops"; ctdbd: "hopcount").</summary>
    private static int HopWarnings(LocalCluster c) =>
        Directory.EnumerateFiles(c.Directory, "log", SearchOption.AllDirectories)
            .Sum(f => File.ReadLines(f).Count(l => l.Contains(" hops", StringComparison.Ordinal) || l.Contains("hopcount", StringComparison.OrdinalIgnoreCase)));

    private static string FirstLines(string s, int n) => string.Join("\n", s.Split('\n').Take(n));
}
