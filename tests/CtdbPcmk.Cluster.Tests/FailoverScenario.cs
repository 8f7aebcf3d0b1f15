// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Cluster.Tests;

/// <summary>
/// Persistent-database transactions keep running on one node while a non-leader is SIGKILLed,
/// restarted with its stale copy, and then the leader is SIGKILLed (for ctdb-pcmkd the harness
/// gives the role to a survivor right after, as Pacemaker would). After each loss the cluster
/// must recover; at the end every acknowledged commit is on both survivors, the two copies are
/// identical, and no key deleted while the restarted node was down has come back.
/// </summary>
internal static class FailoverScenario
{
    private const string Db = "mtest-failover.tdb";
    private const int Batch = 5;
    private static readonly TimeSpan s_recoveryLimit = TimeSpan.FromSeconds(60);

    public static void Run(DaemonKind daemon)
    {
        using var c = LocalCluster.Start(daemon, 3, ClusterReadiness.Stable, TimeSpan.FromSeconds(90));
        Assert.True(c.Ctdb(0, "attach", Db, "persistent").Ok, c.LogTail());
        int leader = c.Leader(0);
        Assert.InRange(leader, 0, 2);
        int victim = (leader + 1) % 3;
        int steady = (leader + 2) % 3;

        using var writer = new TransactionWriter(c, steady, Db);
        writer.WaitAcked(0, Batch, s_recoveryLimit, "before any failure");

        // 1. A non-leader dies; the rest recover and keep committing.
        uint generation = c.Generation();
        int issuedAtKill = writer.Issued;
        c.Kill(victim);
        c.WaitStable([victim], generation, s_recoveryLimit);
        writer.WaitAcked(writer.AckedCount, Batch, s_recoveryLimit, $"after node {victim} (non-leader) was killed");

        // 2. It comes back with the copy it had when it died.
        int finishedAtRestart = writer.Outcomes.Count;
        generation = c.Generation();
        c.StartNode(victim);
        c.WaitStable([], generation, TimeSpan.FromSeconds(90));
        writer.WaitAcked(writer.AckedCount, Batch, s_recoveryLimit, $"after node {victim} rejoined");

        // 3. The leader dies.
        generation = c.Generation();
        c.Kill(leader);
        if (daemon == DaemonKind.Ours)
        {
            c.SetLeader(steady);
        }
        c.WaitStable([leader], generation, s_recoveryLimit);
        writer.WaitAcked(writer.AckedCount, Batch, s_recoveryLimit, $"after node {leader} (leader) was killed");
        writer.Stop();

        var outcomes = writer.Outcomes;
        var copies = new[] { steady, victim }.ToDictionary(p => p, p => PersistentCopy.Read(c, p, Db));
        foreach (var (pnn, records) in copies)
        {
            CheckCopy(c, pnn, records, outcomes, writer.Failures);
        }
        Assert.True(
            copies[steady].OrderBy(kv => kv.Key, StringComparer.Ordinal).SequenceEqual(copies[victim].OrderBy(kv => kv.Key, StringComparer.Ordinal)),
            $"{c.Name}: the survivors' copies differ: node {steady} has {copies[steady].Count} records, node {victim} {copies[victim].Count}");

        // The scenario must have deleted keys the victim still held while it was down.
        int deletedWhileDown = Enumerable.Range(issuedAtKill, Math.Max(0, finishedAtRestart - issuedAtKill))
            .Count(i => outcomes[i] && TransactionWriter.Deletes(i) >= 0 && TransactionWriter.Deletes(i) < issuedAtKill && outcomes[TransactionWriter.Deletes(i)]);
        Assert.True(deletedWhileDown > 0, $"{c.Name}: no acknowledged delete of an older key while node {victim} was down (commits {issuedAtKill}..{finishedAtRestart})");
    }

    /// <summary>Acknowledged writes not deleted since are there; acknowledged deletes stay deleted.</summary>
    private static void CheckCopy(LocalCluster c, int pnn, Dictionary<string, string> records, IReadOnlyList<bool> outcomes, string failures)
    {
        int checkedWrites = 0;
        for (int k = 0; k < outcomes.Count; k++)
        {
            string key = TransactionWriter.Key(k);
            int deleter = k % 3 == 0 ? k + 3 : -1;
            if (deleter >= 0 && deleter < outcomes.Count)
            {
                if (outcomes[deleter])
                {
                    Assert.False(records.ContainsKey(key),
                        $"{c.Name}: node {pnn}: {key} (commit {k} {(outcomes[k] ? "acknowledged" : "unknown")}), deleted by acknowledged commit {deleter}, " +
                        $"came back as '{records.GetValueOrDefault(key)}'; failed commits:\n{failures}\n{c.LogTail(80)}");
                }
                continue;
            }
            if (outcomes[k])
            {
                Assert.True(records.TryGetValue(key, out string? v) && v == TransactionWriter.Value(k),
                    $"{c.Name}: node {pnn}: acknowledged {key} is {(records.TryGetValue(key, out var x) ? $"'{x}'" : "missing")}");
                checkedWrites++;
            }
        }
        Assert.True(checkedWrites >= Batch, $"{c.Name}: node {pnn}: only {checkedWrites} acknowledged writes to check");
        foreach (var key in records.Keys)
        {
            Assert.True(key.StartsWith("key-", StringComparison.Ordinal) && int.TryParse(key.AsSpan(4), out int n) && n < outcomes.Count,
                $"{c.Name}: node {pnn}: unexpected record {key}");
        }
    }
}
