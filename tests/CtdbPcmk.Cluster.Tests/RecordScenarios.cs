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
            // Held until the daemon counts the call as waiting for the lock (on a loaded machine
            // it may read the call only later), then 200 ms more.
            var waiting = System.Diagnostics.Stopwatch.StartNew();
            while (DbStatisticsOutput.Parse(c.Ctdb(2, "dbstatistics", db)) is var now && now.LocksWaiting == 0 && now.LockCalls == before.LockCalls)
            {
                Assert.False(call.IsCompleted, "the call did not wait for the locked chain");
                Assert.True(waiting.Elapsed < TimeSpan.FromSeconds(10), "the daemon never counted the call as waiting for the locked chain");
                Thread.Sleep(20);
            }
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

    /// <summary>
    /// Read-only delegations (ctdb setdbreadonly): readers on two other nodes get read-only
    /// copies while the record stays with its dmaster, which counts the delegations; a writer
    /// on one of those nodes revokes them (both copies become plain, the dmaster counts the
    /// revoke) and takes the record; a new read-only read gets a new delegation from it.
    /// </summary>
    [Fact]
    public async Task Readonly_readers_get_delegations_and_a_writer_revokes_them()
    {
        const uint haveDelegations = 0x01000000, haveReadonly = 0x02000000, migratedWithData = 0x00010000, roMask = 0x0F000000;
        var c = await clusters.GetAsync(Daemon);
        const string db = "mtest-ro.tdb";
        Assert.True(c.Ctdb(0, "attach", db).Ok, c.LogTail());
        Assert.True(c.Ctdb(0, "setdbreadonly", db).Ok, c.LogTail());
        Assert.True(c.Ctdb(0, "writekey", db, "ro-key", "first").Ok, c.LogTail());
        foreach (int reader in new[] { 1, 2 })
        {
            Assert.Equal("first", ToolOutput.ReadkeyValue(c.Ctdb(reader, "readkey", db, "ro-key", "readonly")));
        }
        var home = CatTdbOutput.Parse(c.Ctdb(0, "cattdb", db))["ro-key"];
        Assert.True(home.Dmaster == 0 && (home.Flags & roMask) == haveDelegations, $"node 0: {home}");
        foreach (int reader in new[] { 1, 2 })
        {
            var copy = CatTdbOutput.Parse(c.Ctdb(reader, "cattdb", db))["ro-key"];
            Assert.True(copy.Dmaster == 0 && (copy.Flags & roMask) == haveReadonly && copy.Data == "first" && copy.Rsn == home.Rsn - 2,
                $"node {reader}: {copy} (dmaster's: {home})");
        }
        Assert.Contains(" db_ro_delegations                  2", c.Ctdb(0, "dbstatistics", db).Output);

        Assert.True(c.Ctdb(2, "writekey", db, "ro-key", "second").Ok, c.LogTail());
        var old = CatTdbOutput.Parse(c.Ctdb(0, "cattdb", db))["ro-key"];
        var revoked = CatTdbOutput.Parse(c.Ctdb(1, "cattdb", db))["ro-key"];
        var writer = CatTdbOutput.Parse(c.Ctdb(2, "cattdb", db))["ro-key"];
        Assert.True(old.Dmaster == 2 && (old.Flags & roMask) == 0, $"node 0 after the write: {old}");
        Assert.True(revoked.Dmaster == 0 && revoked.Flags == migratedWithData && revoked.Data == "first", $"node 1 after the revoke: {revoked}");
        // The rsns ctdbd gives: the copies sent one below the dmaster's (raised by 3 at the first
        // grant), the revoked copies one below it, two steps to finish the revoke, then the migration.
        Assert.True(revoked.Rsn == home.Rsn - 1 && old.Rsn == home.Rsn + 2 && writer.Rsn == home.Rsn + 4,
            $"rsns: dmaster {home.Rsn}, revoked copy {revoked.Rsn}, old dmaster {old.Rsn}, writer {writer.Rsn}");
        Assert.True(writer.Dmaster == 2 && (writer.Flags & roMask) == 0 && writer.Data == "second", $"node 2 after its write: {writer}");
        Assert.Contains(" db_ro_revokes                      1", c.Ctdb(0, "dbstatistics", db).Output);

        Assert.Equal("second", ToolOutput.ReadkeyValue(c.Ctdb(1, "readkey", db, "ro-key", "readonly")));
        var again = CatTdbOutput.Parse(c.Ctdb(1, "cattdb", db))["ro-key"];
        Assert.True(again.Dmaster == 2 && (again.Flags & roMask) == haveReadonly && again.Data == "second" && again.Rsn == writer.Rsn + 1,
            $"node 1 after reading again: {again} (writer's copy before: {writer})");
        Assert.Contains(" db_ro_delegations                  1", c.Ctdb(2, "dbstatistics", db).Output);
        Assert.Equal("second", ToolOutput.ReadkeyValue(c.Ctdb(0, "readkey", db, "ro-key")));
    }

    /// <summary>
    /// Sticky records (ctdb setdbsticky, HopcountMakeSticky 1, StickyPindown 1500 ms): a call
    /// redirected once on its way to node 0 makes the record sticky there, so when the record
    /// comes back to node 0 a call from node 1 waits out the pin; on a database that is not
    /// sticky the same call is answered at once.
    /// </summary>
    [Fact]
    public async Task A_sticky_record_stays_pinned_where_it_arrives()
    {
        var c = await clusters.GetAsync(Daemon);
        try
        {
            for (int pnn = 0; pnn < SharedClusters.Nodes; pnn++)
            {
                Assert.True(c.Ctdb(pnn, "setvar", "HopcountMakeSticky", "1").Ok);
                Assert.True(c.Ctdb(pnn, "setvar", "StickyPindown", "1500").Ok);
            }
            var sticky = PinnedWait(c, "mtest-sticky.tdb", true);
            var plain = PinnedWait(c, "mtest-plain.tdb", false);
            Assert.True(sticky >= TimeSpan.FromMilliseconds(1000), $"the call on the sticky record took {sticky.TotalMilliseconds:F0} ms");
            Assert.True(plain < TimeSpan.FromMilliseconds(500), $"the call on the plain record took {plain.TotalMilliseconds:F0} ms");
        }
        finally
        {
            for (int pnn = 0; pnn < SharedClusters.Nodes; pnn++)
            {
                c.Ctdb(pnn, "setvar", "HopcountMakeSticky", "50");
                c.Ctdb(pnn, "setvar", "StickyPindown", "200");
            }
        }
    }

    /// <summary>How long node 1's call waits right after the record came back to node 0.</summary>
    private static TimeSpan PinnedWait(LocalCluster c, string db, bool sticky)
    {
        Assert.True(c.Ctdb(0, "attach", db).Ok, c.LogTail());
        if (sticky)
        {
            Assert.True(c.Ctdb(0, "setdbsticky", db).Ok, c.LogTail());
        }
        var clients = Enumerable.Range(0, 3).Select(p => CtdbPcmk.Client.CtdbClient.Connect(c.Socket(p))).ToArray();
        try
        {
            uint id = 0;
            foreach (var client in clients)
            {
                id = client.AttachDatabase(db);
            }
            var vnn = CtdbPcmk.Protocol.VnnMap.Read(clients[0].Control(CtdbPcmk.Protocol.ControlOpcode.GetVnnMap, CtdbPcmk.Protocol.WireFormat.CurrentNode, default).Data);
            byte[] key = Enumerable.Range(0, 1000).Select(i => System.Text.Encoding.ASCII.GetBytes($"sticky-{i}")).First(k => vnn.LmasterOf(k) == 1);
            void Take(int node) => Assert.Equal(0, clients[node].CallRaw(id, key, CtdbPcmk.Protocol.ReqCall.FetchFunc, CtdbPcmk.Protocol.ReqCall.FlagImmediateMigration));
            Take(1);    // node 1, the lmaster, creates it
            Take(0);    // to node 0
            Take(2);    // node 2 asks the lmaster, which redirects it to node 0 (one hop): sticky on node 0
            Take(0);    // back to node 0: pinned there
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Take(1);
            return clock.Elapsed;
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }
}
