// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Cluster.Tests;

/// <summary>
/// Records through the real ctdb tool on different nodes of one shared cluster. Concrete classes pick the daemon.
/// </summary>
public abstract class RecordScenarios(SharedClusters clusters)
{
    protected abstract DaemonKind Daemon { get; }

    [Fact]
    public async Task Writekey_on_one_node_is_what_readkey_sees_on_every_node()
    {
        var c = await clusters.GetAsync(Daemon);
        const string db = "mtest-volatile.tdb";
        Assert.True(c.Ctdb(0, "attach", db).Ok, c.LogTail());
        // Node 0 writes, node 1 reads, node 2 overwrites, and so on: each write migrates the
        // record to the writer and each read to the reader.
        int[] writers = [0, 2, 1, 0, 2, 1];
        for (int i = 0; i < writers.Length; i++)
        {
            string value = $"value-{i}-from-node-{writers[i]}";
            var w = c.Ctdb(writers[i], "writekey", db, "shared-key", value);
            Assert.True(w.Ok, $"writekey on node {writers[i]}: {w}\n{c.LogTail()}");
            foreach (int reader in new[] { (writers[i] + 1) % 3, (writers[i] + 2) % 3, writers[i] })
            {
                Assert.Equal(value, ToolOutput.ReadkeyValue(c.Ctdb(reader, "readkey", db, "shared-key")));
            }
        }
    }

    [Fact]
    public async Task A_key_never_written_reads_empty_on_every_node()
    {
        var c = await clusters.GetAsync(Daemon);
        const string db = "mtest-volatile.tdb";
        Assert.True(c.Ctdb(1, "attach", db).Ok);
        for (int pnn = 0; pnn < SharedClusters.Nodes; pnn++)
        {
            Assert.Equal("", ToolOutput.ReadkeyValue(c.Ctdb(pnn, "readkey", db, $"never-written-{pnn}")));
        }
    }

    [Fact]
    public async Task Pstore_on_one_node_is_what_pfetch_sees_on_every_node()
    {
        var c = await clusters.GetAsync(Daemon);
        const string db = "mtest-persistent.tdb";
        Assert.True(c.Ctdb(0, "attach", db, "persistent").Ok, c.LogTail());
        (int Node, string Value)[] stores = [(1, "first"), (2, "second, from node 2"), (0, "third")];
        foreach (var (node, value) in stores)
        {
            var s = c.Ctdb(node, "pstore", db, "pkey", value);
            Assert.True(s.Ok, $"pstore on node {node}: {s}\n{c.LogTail()}");
            for (int pnn = 0; pnn < SharedClusters.Nodes; pnn++)
            {
                Assert.Equal(value, ToolOutput.PfetchValue(c.Ctdb(pnn, "pfetch", db, "pkey")));
            }
        }
        var d = c.Ctdb(1, "pdelete", db, "pkey");
        Assert.True(d.Ok, $"pdelete: {d}");
        for (int pnn = 0; pnn < SharedClusters.Nodes; pnn++)
        {
            Assert.Equal("", ToolOutput.PfetchValue(c.Ctdb(pnn, "pfetch", db, "pkey")));
        }
    }

    [Fact]
    public async Task Ptrans_on_one_node_lands_whole_on_every_node()
    {
        var c = await clusters.GetAsync(Daemon);
        const string db = "mtest-ptrans.tdb";
        Assert.True(c.Ctdb(2, "attach", db, "persistent").Ok, c.LogTail());
        var lines = Enumerable.Range(0, 40).Select(i => $"\"tkey-{i}\" \"tvalue-{i}\"\n");
        var t = c.Ctdb(2, ["ptrans", db], string.Concat(lines));
        Assert.True(t.Ok, $"ptrans: {t}\n{c.LogTail()}");
        for (int pnn = 0; pnn < SharedClusters.Nodes; pnn++)
        {
            var records = PersistentCopy.Read(c, pnn, db);
            for (int i = 0; i < 40; i++)
            {
                Assert.True(records.TryGetValue($"tkey-{i}", out string? v) && v == $"tvalue-{i}",
                    $"node {pnn}: tkey-{i} is {(records.TryGetValue($"tkey-{i}", out var x) ? $"'{x}'" : "missing")}");
            }
            Assert.Equal("tvalue-39", ToolOutput.PfetchValue(c.Ctdb(pnn, "pfetch", db, "tkey-39")));
        }
    }

    /// <summary>
    /// "ctdb dbstatistics" after a workload with known hot spots: one key taken in turn by
    /// clients on two nodes 60 times, another 12 times (each take migrates it), and a call
    /// that waits 200 ms for a chain this test holds locked, as smbd would.
    /// </summary>
    [Fact]
    public async Task Dbstatistics_names_the_hot_keys_counts_hops_and_a_contended_lock()
    {
        var c = await clusters.GetAsync(Daemon);
        const string db = "mtest-stats.tdb";
        Assert.True(c.Ctdb(0, "attach", db).Ok, c.LogTail());
        using var a = CtdbPcmk.Client.CtdbClient.Connect(c.Socket(0));
        using var b = CtdbPcmk.Client.CtdbClient.Connect(c.Socket(1));
        uint id = a.AttachDatabase(db);
        b.AttachDatabase(db);
        foreach (var (key, takes) in new[] { ("stats-hottest", 60), ("stats-warm", 12) })
        {
            byte[] k = System.Text.Encoding.ASCII.GetBytes(key);
            for (int i = 0; i < takes; i++)
            {
                var client = i % 2 == 0 ? a : b;
                Assert.Equal(0, client.CallRaw(id, k, CtdbPcmk.Protocol.ReqCall.FetchFunc, CtdbPcmk.Protocol.ReqCall.FlagImmediateMigration));
            }
        }
        var s0 = DbStatisticsOutput.Parse(c.Ctdb(0, "dbstatistics", db));
        var s1 = DbStatisticsOutput.Parse(c.Ctdb(1, "dbstatistics", db));
        Assert.Equal(10, s0.HotKeySlots);
        foreach (var s in new[] { s0, s1 })
        {
            Assert.True(s.HotKeys.TryGetValue(DbStatisticsOutput.Hex("stats-hottest"), out uint hottest) && hottest >= 10,
                $"hot keys: {string.Join(", ", s.HotKeys.Select(h => $"{h.Key}={h.Value}"))}");
            Assert.True(s.HotKeys.TryGetValue(DbStatisticsOutput.Hex("stats-warm"), out uint warm) && warm < hottest,
                $"hot keys: {string.Join(", ", s.HotKeys.Select(h => $"{h.Key}={h.Value}"))}");
        }
        Assert.True(s0.HopBuckets.Sum(x => (long)x) + s1.HopBuckets.Sum(x => (long)x) >= 60, "calls served at the dmaster are counted by hop count");

        // A contended chain on node 2: the call waits until this test lets go of the lock.
        using var n2 = CtdbPcmk.Client.CtdbClient.Connect(c.Socket(2));
        uint id2 = n2.AttachDatabase(db);
        byte[] locked = System.Text.Encoding.ASCII.GetBytes("stats-locked");
        Assert.Equal(0, n2.CallRaw(id2, locked, CtdbPcmk.Protocol.ReqCall.FetchFunc, CtdbPcmk.Protocol.ReqCall.FlagImmediateMigration));
        var before = DbStatisticsOutput.Parse(c.Ctdb(2, "dbstatistics", db));
        using (var file = OpenLikeSmbd(n2, id2))
        {
            file.ChainLock(locked);
            var call = Task.Run(() => n2.CallRaw(id2, locked, CtdbPcmk.Protocol.ReqCall.FetchFunc, 0));
            Thread.Sleep(200);
            Assert.False(call.IsCompleted, "the call did not wait for the locked chain");
            file.ChainUnlock(locked);
            Assert.Equal(0, await call.WaitAsync(TimeSpan.FromSeconds(10)));
        }
        var after = DbStatisticsOutput.Parse(c.Ctdb(2, "dbstatistics", db));
        Assert.True(after.LockCalls > before.LockCalls, $"num_calls {before.LockCalls} -> {after.LockCalls}");
        Assert.True(after.LockBuckets[3] > before.LockBuckets[3], $"lock_buckets (100 ms to 1 s) {string.Join(' ', before.LockBuckets)} -> {string.Join(' ', after.LockBuckets)}");
        Assert.True(after.LockLatencyMax >= 0.15, $"locks_latency max {after.LockLatencyMax}");
    }

    private static CtdbPcmk.Tdb.TdbFile OpenLikeSmbd(CtdbPcmk.Client.CtdbClient client, uint db)
    {
        var flags = client.Control(CtdbPcmk.Protocol.ControlOpcode.DbOpenFlags, CtdbPcmk.Protocol.WireFormat.CurrentNode, BitConverter.GetBytes(db));
        return CtdbPcmk.Tdb.TdbFile.Open(client.GetDbPath(db), 0, (CtdbPcmk.Tdb.TdbFlags)BitConverter.ToInt32(flags.Data), 2 /* O_RDWR */, 0);
    }
}
