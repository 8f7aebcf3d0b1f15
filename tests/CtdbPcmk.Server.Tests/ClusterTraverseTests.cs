// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text;
using System.Text.RegularExpressions;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Server.Tests;

/// <summary>Cluster-wide traverse and seqnum propagation between three daemons linked in memory.</summary>
public sealed partial class ClusterTraverseTests
{
    [Fact]
    public void Catdb_shows_every_record_once_with_its_latest_value_from_any_node()
    {
        using var cluster = new InProcessCluster(3);
        uint db = cluster.AttachEverywhere("cat.tdb");
        for (int i = 0; i < 12; i++)
        {
            Ok(cluster.Ctdb(i % 3, "writekey", "cat.tdb", $"key{i}", $"first{i}"));
        }
        // Move some records around and rewrite some elsewhere: stale copies stay behind.
        using (var c = cluster.Connect(2))
        {
            for (int i = 0; i < 12; i += 2)
            {
                Assert.Equal(0, c.Call(db, Encoding.ASCII.GetBytes($"key{i}"), ReqCall.NullFunc, ReqCall.FlagImmediateMigration).Status);
            }
        }
        for (int i = 0; i < 12; i += 3)
        {
            Ok(cluster.Ctdb((i + 1) % 3, "writekey", "cat.tdb", $"key{i}", $"second{i}"));
        }
        for (int pnn = 0; pnn < 3; pnn++)
        {
            string output = Ok(cluster.Ctdb(pnn, "catdb", "cat.tdb"));
            var keys = KeyLine().Matches(output).Select(m => m.Groups[1].Value).ToList();
            Assert.Equal(12, keys.Count);
            Assert.Equal(12, keys.Distinct().Count());
            for (int i = 0; i < 12; i++)
            {
                string expected = i % 3 == 0 ? $"second{i}" : $"first{i}";
                Assert.Contains($"key(4) = \"key{i}\"", output.Replace("key(5)", "key(4)", StringComparison.Ordinal), StringComparison.Ordinal);
                Assert.Contains($"\"{expected}\"", output, StringComparison.Ordinal);
            }
            Assert.Contains("Dumped 12 records", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_persistent_database_is_traversed_on_one_node()
    {
        using var cluster = new InProcessCluster(3);
        for (int pnn = 0; pnn < 3; pnn++)
        {
            using var c = cluster.Connect(pnn);
            c.AttachDatabase("ptrav.tdb", DatabaseKind.Persistent);
        }
        for (int pnn = 0; pnn < 3; pnn++)
        {
            Ok(cluster.Ctdb(pnn, "pstore", "ptrav.tdb", "pkey", $"pvalue{pnn}"));
        }
        string output = Ok(cluster.Ctdb(1, "catdb", "ptrav.tdb"));
        Assert.Single(Regex.Matches(output, "\"pkey\""));
    }

    [Fact]
    public void A_change_on_one_node_moves_the_seqnum_on_the_others_once()
    {
        using var cluster = new InProcessCluster(3, tunables: new Dictionary<string, uint> { ["SeqnumInterval"] = 20 });
        uint db = cluster.AttachEverywhere("seq.tdb");
        for (int pnn = 0; pnn < 3; pnn++)
        {
            using var c = cluster.Connect(pnn);
            Assert.Equal(0, c.Control(ControlOpcode.EnableSeqnum, WireFormat.CurrentNode, BitConverter.GetBytes(db)).Status);
        }
        int[] before = Seqnums(cluster, db);
        // A record created and changed only on node 0 (its own lmaster, never migrated).
        byte[] key = cluster.KeyWithLmaster(0, "seq");
        using (var c0 = cluster.Connect(0))
        {
            Assert.Equal(0, c0.Call(db, key, ReqCall.NullFunc, 0).Status);
        }
        var deadline = DateTime.UtcNow.AddSeconds(5);
        int[] now;
        do
        {
            Thread.Sleep(20);
            now = Seqnums(cluster, db);
        }
        while ((now[1] == before[1] || now[2] == before[2]) && DateTime.UtcNow < deadline);
        Assert.NotEqual(before[1], now[1]);
        Assert.NotEqual(before[2], now[2]);
        // The bumps are not announced back and forth.
        Thread.Sleep(200);
        int[] settled = Seqnums(cluster, db);
        Thread.Sleep(300);
        Assert.Equal(settled, Seqnums(cluster, db));
    }

    private static int[] Seqnums(InProcessCluster cluster, uint db)
    {
        var result = new int[cluster.Count];
        for (int pnn = 0; pnn < cluster.Count; pnn++)
        {
            int n = pnn;
            cluster.OnLoop(pnn, d => result[n] = d.TdbSeqnum(db));
        }
        return result;
    }

    private static string Ok((int Code, string Out, string Err) r)
    {
        Assert.True(r.Code == 0, $"ctdb failed ({r.Code}): {r.Out} {r.Err}");
        return r.Out;
    }

    [GeneratedRegex("key\\(\\d+\\) = \"([^\"]*)\"")]
    private static partial Regex KeyLine();
}
