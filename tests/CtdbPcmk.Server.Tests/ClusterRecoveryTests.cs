// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Text;
using CtdbPcmk.Client;
using CtdbPcmk.Protocol;
using CtdbPcmk.Tdb;

namespace CtdbPcmk.Server.Tests;

/// <summary>What a recovery does to the records of three in-process nodes.</summary>
public class ClusterRecoveryTests
{
    private static readonly byte[] s_seqnumKey = "__db_sequence_number__\0"u8.ToArray();

    private static string? Value(MemoryCluster cluster, uint pnn, string db, string key)
    {
        var rec = cluster.OnLoop(pnn, d => d.FetchRecord(db, Encoding.UTF8.GetBytes(key)));
        return rec is null || rec.Value.Value.Length == 0 ? null : Encoding.UTF8.GetString(rec.Value.Value);
    }

    private static void Store(MemoryCluster cluster, uint pnn, string db, string key, ulong rsn, uint dmaster, string value) =>
        cluster.OnLoop(pnn, d =>
        {
            d.StoreRecordRaw(db, Encoding.UTF8.GetBytes(key), new LtdbHeader(rsn, dmaster, 0), Encoding.UTF8.GetBytes(value));
            return 0;
        });

    private static void ForceRecovery(MemoryCluster cluster, uint leader)
    {
        uint before = cluster.State(leader).Generation;
        using (var c = cluster.Connect(1))
        {
            // What `ctdb recover` sends: recovery mode ACTIVE on a node.
            Assert.Equal(0, c.Control(ControlOpcode.SetRecMode, WireFormat.CurrentNode, BitConverter.GetBytes(1u)).Status);
        }
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (cluster.State(leader).Generation == before)
        {
            Assert.True(DateTime.UtcNow < deadline, "no recovery after SET_RECMODE(1)");
            Thread.Sleep(5);
        }
        cluster.WaitRecovered(leader);
    }

    [Fact]
    public void Volatile_records_merge_by_rsn_and_deletions_stay_deleted()
    {
        using var cluster = MemoryCluster.Led();
        using (var c = cluster.Connect(1))
        {
            c.AttachDatabase("merge.tdb");
        }
        ForceRecovery(cluster, 0); // the attach reached every node; all at one generation
        Store(cluster, 1, "merge.tdb", "k", 5, 1, "new");
        Store(cluster, 2, "merge.tdb", "k", 3, 2, "old");
        Store(cluster, 1, "merge.tdb", "deleted", 7, 1, "");
        Store(cluster, 2, "merge.tdb", "deleted", 4, 2, "stale");
        ForceRecovery(cluster, 0);
        foreach (uint pnn in cluster.Running)
        {
            Assert.Equal("new", Value(cluster, pnn, "merge.tdb", "k"));
            var rec = cluster.OnLoop(pnn, d => d.FetchRecord("merge.tdb", "k"u8));
            Assert.Equal(0u, rec!.Value.Header.Dmaster);
            Assert.Equal(5ul, rec.Value.Header.Rsn);
            Assert.Null(Value(cluster, pnn, "merge.tdb", "deleted"));
        }
    }

    [Fact]
    public void Records_a_node_held_while_cut_off_never_come_back()
    {
        using var cluster = MemoryCluster.Led();
        using (var c = cluster.Connect(0))
        {
            c.AttachDatabase("resurrect.tdb");
        }
        ForceRecovery(cluster, 0);
        cluster.Hub.Isolate(2);
        WaitVnnMapSize(cluster, 0, 2);
        // Node 2 still holds a copy of a record the others deleted (and vacuumed away) meanwhile,
        // with an rsn higher than anything the others know.
        Store(cluster, 2, "resurrect.tdb", "ghost", 100, 2, "must not return");
        Store(cluster, 0, "resurrect.tdb", "fresh", 1, 0, "kept");
        cluster.Hub.Rejoin(2);
        cluster.WaitRecovered(0);
        foreach (uint pnn in cluster.Running)
        {
            Assert.Null(Value(cluster, pnn, "resurrect.tdb", "ghost"));
            Assert.Equal("kept", Value(cluster, pnn, "resurrect.tdb", "fresh"));
        }
    }

    [Fact]
    public void Persistent_commits_reach_every_node_and_deletions_survive_a_returning_node()
    {
        using var cluster = MemoryCluster.Led();
        uint id;
        using (var c = cluster.Connect(0))
        {
            id = c.AttachDatabase("pers.tdb", DatabaseKind.Persistent);
            Commit(c, id, 1, ("a", "1"), ("b", "2"));
        }
        foreach (uint pnn in cluster.Running)
        {
            Assert.Equal("1", Value(cluster, pnn, "pers.tdb", "a"));
            Assert.Equal("2", Value(cluster, pnn, "pers.tdb", "b"));
            using var c = cluster.Connect(pnn);
            Assert.Equal(1ul, c.GetDbSeqnum(id));
        }
        cluster.Hub.Isolate(2);
        WaitVnnMapSize(cluster, 0, 2);
        using (var c = cluster.Connect(1))
        {
            Commit(c, id, 2, ("a", ""), ("b", "3"));
        }
        cluster.Hub.Rejoin(2);
        cluster.WaitRecovered(0);
        foreach (uint pnn in cluster.Running)
        {
            Assert.Null(Value(cluster, pnn, "pers.tdb", "a"));
            Assert.Equal("3", Value(cluster, pnn, "pers.tdb", "b"));
        }
    }

    [Fact]
    public void A_commit_is_never_acknowledged_without_a_node_of_the_generation_it_cannot_reach()
    {
        using var cluster = MemoryCluster.Led();
        uint id;
        using (var c = cluster.Connect(0))
        {
            id = c.AttachDatabase("unreached.tdb", DatabaseKind.Persistent);
            Commit(c, id, 1, ("a", "1"));
        }
        // Nodes 1 and 2 lose their link (as after a restart, before they reconnect); the leader
        // still reaches both, so both stay in the generation. A commit on node 2 cannot reach node 1.
        uint generation = cluster.State(0).Generation;
        cluster.Hub.Cut(1, 2);
        int status;
        using (var c = cluster.Connect(2))
        {
            c.Timeout = TimeSpan.FromSeconds(30);
            status = c.Trans3CommitRaw(id, Records(c, 2, [("a", "2")]), TimeSpan.FromSeconds(30));
        }
        // Acknowledged (0) or settled by a recovery (2): either way every node of the
        // generation holds the same copy; an acknowledged one holds the commit.
        Assert.True(status is 0 or 2, $"commit status {status}");
        cluster.Hub.Rejoin(1);
        cluster.WaitRecovered(0);
        var copies = cluster.Running.Select(pnn =>
        {
            using var c = cluster.Connect(pnn);
            return (pnn, seq: c.GetDbSeqnum(id), value: Value(cluster, pnn, "unreached.tdb", "a"));
        }).ToList();
        string all = string.Join(", ", copies.Select(s => $"node {s.pnn}: seqnum {s.seq}, a={s.value}"));
        Assert.True(copies.All(s => s.seq == copies[0].seq && s.value == copies[0].value), "nodes disagree: " + all);
        if (status == 0)
        {
            Assert.True(copies.All(s => s.value == "2"), "acknowledged without every node: " + all);
        }
        else
        {
            Assert.NotEqual(generation, cluster.State(0).Generation);
        }
    }

    [Fact]
    public void A_call_going_round_in_circles_ends_in_a_recovery_and_is_answered()
    {
        using var cluster = MemoryCluster.Led();
        uint id;
        using (var c = cluster.Connect(1))
        {
            id = c.AttachDatabase("circle.tdb");
        }
        ForceRecovery(cluster, 0);
        string key = Enumerable.Range(0, 1000).Select(i => $"k{i}")
            .First(k => cluster.OnLoop(0, d => d.Cluster.Lmaster(Encoding.UTF8.GetBytes(k))) == 0);
        // The lmaster names node 1 as the dmaster, but node 1 never got the record (its
        // migration was lost): a call from node 1 would go between the two for ever.
        Store(cluster, 0, "circle.tdb", key, 5, 1, "lost on the way");
        uint generation = cluster.State(0).Generation;
        using var client = cluster.Connect(1);
        client.Timeout = TimeSpan.FromSeconds(30);
        var reply = client.Call(id, Encoding.UTF8.GetBytes(key), ReqCall.FetchFunc, 0);
        Assert.Equal(0, reply.Status);
        Assert.Equal("lost on the way", Encoding.UTF8.GetString(reply.Data));
        Assert.NotEqual(generation, cluster.State(0).Generation);
    }

    [Fact]
    public void A_commit_its_client_left_keeps_that_client_alive_until_every_node_agrees_on_it()
    {
        using var cluster = MemoryCluster.Led();
        int pid = Environment.ProcessId;
        uint id;
        using (var c = cluster.Connect(1))
        {
            id = c.AttachDatabase("orphan.tdb", DatabaseKind.Persistent);
            Commit(c, id, 1, ("a", "1"));
            var set = new TunableValue(5, "ControlTimeout");
            var data = new byte[set.EncodedSize];
            set.Write(data);
            Assert.Equal(0, c.Control(ControlOpcode.SetTunable, WireFormat.CurrentNode, data).Status);
        }
        // Node 2 never hears node 1: the commit's UPDATE_RECORD to it is lost, and the client
        // gives up and leaves with its commit unsettled (as a ctdb tool that timed out does).
        cluster.Hub.Stall(1, 2);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            using var orphan = cluster.Connect(1);
            int status;
            try
            {
                status = CommitWithin(orphan, id, 2, TimeSpan.FromMilliseconds(300), ("a", "2"));
            }
            catch (TimeoutException)
            {
                break; // left with its commit in flight
            }
            // Refused at once (a recovery still running): nothing is in flight; try again.
            Assert.NotEqual(0, status);
            Assert.True(DateTime.UtcNow < deadline, $"every commit was refused (last status {status})");
            Thread.Sleep(100);
        }
        // The g_lock of a transaction names its process, and a waiter asks the holder's node
        // whether it still exists: while its commit is not settled, it must.
        using var probe = cluster.Connect(0);
        Assert.Equal(0, ProcessExists(probe, 1, pid));
        cluster.Hub.Unstall(1, 2);

        // The commit's timeout starts a recovery that makes every node agree; then it is gone.
        deadline = DateTime.UtcNow.AddSeconds(30);
        while (ProcessExists(probe, 1, pid) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the left commit was never settled");
            Thread.Sleep(50);
        }
        var seqnums = cluster.Running.Select(pnn =>
        {
            using var c = cluster.Connect(pnn);
            return (pnn, seq: c.GetDbSeqnum(id), value: Value(cluster, pnn, "orphan.tdb", "a"));
        }).ToList();
        Assert.True(seqnums.All(s => s.seq == seqnums[0].seq && s.value == seqnums[0].value),
            "nodes disagree after the recovery: " + string.Join(", ", seqnums.Select(s => $"node {s.pnn}: seqnum {s.seq}, a={s.value}")));
    }

    private static int ProcessExists(CtdbClient c, uint pnn, int pid)
    {
        var data = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(data, pid);
        return c.Control(ControlOpcode.ProcessExists, pnn, data).Status;
    }

    [Fact]
    public void A_node_restarting_with_stale_volatile_files_never_wins()
    {
        using var cluster = MemoryCluster.Led();
        using (var c = cluster.Connect(0))
        {
            c.AttachDatabase("stale.tdb");
        }
        ForceRecovery(cluster, 0);
        Store(cluster, 0, "stale.tdb", "k", 2, 0, "fresh");
        cluster.Kill(2);
        cluster.WaitRecovered(0);
        // Node 2's file is left with a record newer by rsn than the cluster's.
        string path = Path.Combine(cluster.NodeDir(2), "volatile", "stale.tdb.2");
        File.Delete(path);
        using (var tdb = TdbFile.Open(path, 1000, TdbFlags.NoSync | TdbFlags.IncompatibleHash, 0x42, 0x180))
        {
            tdb.Store("k"u8, new LtdbHeader(1000, 2, 0), "stale"u8);
            tdb.Store("old"u8, new LtdbHeader(1000, 2, 0), "stale"u8);
        }
        cluster.Start(2);
        cluster.WaitRecovered(0);
        foreach (uint pnn in cluster.Running)
        {
            Assert.Equal("fresh", Value(cluster, pnn, "stale.tdb", "k"));
            Assert.Null(Value(cluster, pnn, "stale.tdb", "old"));
        }
    }

    private static void WaitVnnMapSize(MemoryCluster cluster, uint pnn, int size)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            using var c = cluster.Connect(pnn);
            var map = VnnMap.Read(c.Control(ControlOpcode.GetVnnMap, WireFormat.CurrentNode, default).Data);
            if (map.Map.Count == size && c.GetRecMode() == RecoveryMode.Normal)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"vnn map of node {pnn} did not reach {size} nodes");
            Thread.Sleep(5);
        }
    }

    /// <summary>A persistent transaction as smbd commits it: rsn + 1, this node as dmaster, the new sequence number.</summary>
    internal static void Commit(CtdbClient c, uint dbId, ulong seqnum, params (string Key, string Value)[] records) =>
        c.Trans3Commit(dbId, Records(c, seqnum, records));

    /// <summary><see cref="Commit"/> that waits at most <paramref name="timeout"/> for the answer.</summary>
    private static int CommitWithin(CtdbClient c, uint dbId, ulong seqnum, TimeSpan timeout, params (string Key, string Value)[] records) =>
        c.Trans3CommitRaw(dbId, Records(c, seqnum, records), timeout);

    private static TransactionRecord[] Records(CtdbClient c, ulong seqnum, (string Key, string Value)[] records)
    {
        uint pnn = c.GetPnn();
        var list = new List<TransactionRecord>();
        foreach (var (key, value) in records)
        {
            list.Add(new TransactionRecord(Encoding.UTF8.GetBytes(key), new LtdbHeader(seqnum, pnn, 0), Encoding.UTF8.GetBytes(value)));
        }
        var seq = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(seq, seqnum);
        list.Add(new TransactionRecord(s_seqnumKey, new LtdbHeader(seqnum, pnn, 0), seq));
        return list.ToArray();
    }
}
