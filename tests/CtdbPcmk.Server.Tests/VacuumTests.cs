// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Text;
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Vacuum;

namespace CtdbPcmk.Server.Tests;

/// <summary>
/// Vacuuming on a three-node cluster (VacuumInterval 1 s): records deleted with the real ctdb
/// tool on any node leave every node's file, records filled again meanwhile stay, and the
/// receiving side of TRY_DELETE_RECORDS keeps what it must.
/// </summary>
public sealed class VacuumTests
{
    private static readonly Dictionary<string, uint> s_fast = new() { ["VacuumInterval"] = 1 };

    [Fact]
    public void Deleted_records_leave_every_node()
    {
        using var cluster = new InProcessCluster(3, s_fast);
        uint db = cluster.AttachEverywhere("vac.tdb");
        var keys = new List<string>();
        for (uint lmaster = 0; lmaster < 3; lmaster++)
        {
            int writer = (int)(lmaster + 1) % 3;
            int reader = (int)(lmaster + 2) % 3;
            // Written and deleted on a node that is not the lmaster, after the record was read on
            // every node (it left nodes with data, so every node holds a copy).
            string shared = Key(cluster, lmaster, "shared");
            Ok(cluster.Ctdb(writer, "writekey", "vac.tdb", shared, "v1"));
            Ok(cluster.Ctdb(reader, "readkey", "vac.tdb", shared));
            Ok(cluster.Ctdb((int)lmaster, "readkey", "vac.tdb", shared));
            Ok(cluster.Ctdb(writer, "deletekey", "vac.tdb", shared));
            // Written and deleted on one node only, which is not the lmaster.
            string single = Key(cluster, lmaster, "single");
            Ok(cluster.Ctdb(writer, "writekey", "vac.tdb", single, "v1"));
            Ok(cluster.Ctdb(writer, "deletekey", "vac.tdb", single));
            // Written and deleted on its lmaster.
            string home = Key(cluster, lmaster, "home");
            Ok(cluster.Ctdb((int)lmaster, "writekey", "vac.tdb", home, "v1"));
            Ok(cluster.Ctdb((int)lmaster, "deletekey", "vac.tdb", home));
            keys.AddRange([shared, single, home]);
        }
        Assert.NotEmpty(Holders(cluster, db, keys));

        var left = WaitUntilGone(cluster, db, keys, TimeSpan.FromSeconds(30));
        Assert.True(left.Count == 0, "still held: " + string.Join(", ", left));
        var totals = Enumerable.Range(0, 3).Select(p => Totals(cluster, p, db)).ToList();
        Assert.True(totals.Sum(t => t.SentToLmaster) > 0, "no record was sent to its lmaster");
        Assert.True(totals.Sum(t => t.DeletedForOthers) > 0, "no node deleted its copy for the lmaster");
    }

    [Fact]
    public void A_record_filled_again_while_vacuuming_runs_keeps_its_value()
    {
        using var cluster = new InProcessCluster(3, s_fast);
        uint db = cluster.AttachEverywhere("refill.tdb");
        string key = Key(cluster, 0, "refill");
        string last = "";
        for (int i = 0; i < 12; i++)
        {
            int writer = 1 + (i % 2);
            last = $"value-{i}";
            Ok(cluster.Ctdb(writer, "writekey", "refill.tdb", key, last));
            Ok(cluster.Ctdb(3 - writer, "readkey", "refill.tdb", key));
            Ok(cluster.Ctdb(writer, "deletekey", "refill.tdb", key));
            last = $"again-{i}";
            Ok(cluster.Ctdb(3 - writer, "writekey", "refill.tdb", key, last));
            Thread.Sleep(i * 100);
        }
        // Several vacuum runs on every node later, the value is the last one written.
        Thread.Sleep(4000);
        for (int p = 0; p < 3; p++)
        {
            Assert.Contains($"Data: size:{last.Length} ptr:[{last}]", Ok(cluster.Ctdb(p, "readkey", "refill.tdb", key)));
        }
    }

    [Fact]
    public void Try_delete_records_keeps_newer_copies_and_the_lmasters_own()
    {
        using var cluster = new InProcessCluster(3, s_fast);
        uint db = cluster.AttachEverywhere("try.tdb");
        string stale = Key(cluster, 0, "stale");
        string newer = Key(cluster, 0, "newer");
        string own = Key(cluster, 1, "own");
        foreach (string k in new[] { stale, newer, own })
        {
            Ok(cluster.Ctdb(2, "writekey", "try.tdb", k, "v"));
            Ok(cluster.Ctdb(1, "readkey", "try.tdb", k));
            Ok(cluster.Ctdb(2, "readkey", "try.tdb", k));
        }
        // Node 1 now holds copies naming node 2 as dmaster; ask it to delete them.
        ulong rsn = RsnOn(cluster, 1, db, newer);
        var buffer = new byte[4096];
        var w = new RecBufferWriter(buffer, db);
        w.TryAdd(db, Encoding.ASCII.GetBytes(stale), new LtdbHeader(ulong.MaxValue - 1, 0, 0), default);
        w.TryAdd(db, Encoding.ASCII.GetBytes(newer), new LtdbHeader(rsn - 1, 0, 0), default);
        w.TryAdd(db, Encoding.ASCII.GetBytes(own), new LtdbHeader(ulong.MaxValue - 1, 0, 0), default);
        using var client = cluster.Connect(1);
        var reply = client.Control(ControlOpcode.TryDeleteRecords, WireFormat.CurrentNode, w.Written);
        var refused = new List<string>();
        foreach (var r in RecBuffer.Read(reply.Data))
        {
            refused.Add(Encoding.ASCII.GetString(r.Key));
        }
        Assert.Equal([newer, own], refused);
        var held = Holders(cluster, db, [stale, newer, own]);
        Assert.DoesNotContain(1, held[stale]);
        Assert.Contains(1, held[newer]);
        Assert.Contains(1, held[own]);
    }

    [Fact]
    public void Db_vacuum_runs_now_and_refuses_persistent_databases()
    {
        using var cluster = new InProcessCluster(3, new Dictionary<string, uint> { ["VacuumInterval"] = 3600 });
        uint db = cluster.AttachEverywhere("now.tdb");
        string key = Key(cluster, 0, "now");
        Ok(cluster.Ctdb(0, "writekey", "now.tdb", key, "v"));
        Ok(cluster.Ctdb(0, "deletekey", "now.tdb", key));
        Assert.NotEmpty(Holders(cluster, db, [key])[key]);
        using var client = cluster.Connect(0);
        var data = new byte[5];
        BinaryPrimitives.WriteUInt32LittleEndian(data, db);
        data[4] = 1;
        Assert.Equal(0, client.Control(ControlOpcode.DbVacuum, WireFormat.CurrentNode, data).Status);
        Assert.Empty(Holders(cluster, db, [key])[key]);
        uint persistent = client.AttachDatabase("now-p.tdb", DatabaseKind.Persistent);
        BinaryPrimitives.WriteUInt32LittleEndian(data, persistent);
        Assert.NotEqual(0, client.ControlRaw(ControlOpcode.DbVacuum, WireFormat.CurrentNode, data));
    }

    [Fact]
    public void Malformed_vacuum_controls_fail_without_closing_the_connection()
    {
        using var cluster = new InProcessCluster(3, s_fast);
        uint db = cluster.AttachEverywhere("bad.tdb");
        using var client = cluster.Connect(1);
        var bad = new byte[40];
        BinaryPrimitives.WriteUInt32LittleEndian(bad, db);
        BinaryPrimitives.WriteUInt32LittleEndian(bad.AsSpan(4), 3);
        BinaryPrimitives.WriteUInt32LittleEndian(bad.AsSpan(8), 1000); // a record longer than the buffer
        foreach (var op in new[] { ControlOpcode.TryDeleteRecords, ControlOpcode.VacuumFetch })
        {
            Assert.NotEqual(0, client.ControlRaw(op, WireFormat.CurrentNode, bad));
            Assert.NotEqual(0, client.ControlRaw(op, WireFormat.CurrentNode, bad.AsSpan(0, 5)));
        }
        Assert.NotEqual(0, client.ControlRaw(ControlOpcode.DbVacuum, WireFormat.CurrentNode, bad.AsSpan(0, 7)));
        Assert.True(client.PingRaw() >= 0);
    }

    private static string Key(InProcessCluster cluster, uint lmaster, string prefix) =>
        Encoding.ASCII.GetString(cluster.KeyWithLmaster(lmaster, prefix));

    private static string Ok((int Code, string Out, string Err) r)
    {
        Assert.True(r.Code == 0, $"ctdb exit {r.Code}: {r.Out}{r.Err}");
        return r.Out;
    }

    /// <summary>For each key, the nodes whose file holds a record of it.</summary>
    private static Dictionary<string, List<int>> Holders(InProcessCluster cluster, uint db, IEnumerable<string> keys)
    {
        var held = keys.ToDictionary(k => k, _ => new List<int>());
        for (int p = 0; p < cluster.Count; p++)
        {
            int pnn = p;
            cluster.OnLoop(p, d =>
            {
                Assert.True(d.Databases.TryGet(db, out var x));
                foreach (var k in held.Keys)
                {
                    if (x.File.Exists(Encoding.ASCII.GetBytes(k)))
                    {
                        held[k].Add(pnn);
                    }
                }
            });
        }
        return held;
    }

    private static List<string> WaitUntilGone(InProcessCluster cluster, uint db, List<string> keys, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (true)
        {
            var left = Holders(cluster, db, keys).Where(h => h.Value.Count != 0).Select(h => $"{h.Key} on {string.Join('/', h.Value)}").ToList();
            if (left.Count == 0 || DateTime.UtcNow > until)
            {
                return left;
            }
            Thread.Sleep(200);
        }
    }

    private static ulong RsnOn(InProcessCluster cluster, int pnn, uint db, string key)
    {
        ulong rsn = 0;
        cluster.OnLoop(pnn, d =>
        {
            Assert.True(d.Databases.TryGet(db, out var x));
            Assert.True(x.File.TryFetch(Encoding.ASCII.GetBytes(key), out var value));
            rsn = LtdbHeader.Read(value).Rsn;
        });
        return rsn;
    }

    private static VacuumCounts Totals(InProcessCluster cluster, int pnn, uint db)
    {
        VacuumCounts? counts = null;
        cluster.OnLoop(pnn, d =>
        {
            Assert.True(d.Databases.TryGet(db, out var x));
            counts = d.Vacuum.StateOf(x).Totals;
        });
        return counts!;
    }
}
