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
}
