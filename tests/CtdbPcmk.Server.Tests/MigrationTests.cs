// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text;
using CtdbPcmk.Client;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Server.Tests;

/// <summary>Record migration between three daemons linked in memory.</summary>
public sealed class MigrationTests
{
    private static LtdbHeader Header(CallResult r) => LtdbHeader.Read(r.Data);

    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    [InlineData(2u)]
    public void A_record_follows_its_callers_with_a_rising_rsn(uint lmaster)
    {
        using var cluster = new InProcessCluster(3);
        uint db = cluster.AttachEverywhere("mig.tdb");
        var clients = Enumerable.Range(0, 3).Select(cluster.Connect).ToArray();
        try
        {
            byte[] key = cluster.KeyWithLmaster(lmaster, "ring");
            ulong last = 0;
            int[] order = [1, 2, 0, 2, 1, 0, 0, 1, 1, 2, 0, 1];
            foreach (int node in order)
            {
                uint flags = node % 2 == 0 ? ReqCall.FlagImmediateMigration : 0;
                var r = clients[node].Call(db, key, ReqCall.FetchWithHeaderFunc, flags);
                Assert.Equal(0, r.Status);
                var h = Header(r);
                Assert.Equal((uint)node, h.Dmaster);
                Assert.True(h.Rsn > last, $"rsn {h.Rsn} after {last} on node {node}");
                last = h.Rsn;
            }
        }
        finally
        {
            foreach (var c in clients)
            {
                c.Dispose();
            }
        }
    }

    [Fact]
    public void The_real_ctdb_tool_always_reads_the_latest_value_across_nodes()
    {
        using var cluster = new InProcessCluster(3);
        cluster.AttachEverywhere("tool.tdb");
        Ok(cluster.Ctdb(0, "writekey", "tool.tdb", "shared-key", "from-node-0"));
        Assert.Contains("from-node-0", Ok(cluster.Ctdb(1, "readkey", "tool.tdb", "shared-key")));
        Ok(cluster.Ctdb(2, "writekey", "tool.tdb", "shared-key", "node-2-wrote-this"));
        Assert.Contains("node-2-wrote-this", Ok(cluster.Ctdb(0, "readkey", "tool.tdb", "shared-key")));
        Assert.Contains("node-2-wrote-this", Ok(cluster.Ctdb(1, "readkey", "tool.tdb", "shared-key")));
        Ok(cluster.Ctdb(1, "writekey", "tool.tdb", "shared-key", "x"));
        Assert.Contains("ptr:[x]", Ok(cluster.Ctdb(2, "readkey", "tool.tdb", "shared-key")));
    }

    [Fact]
    public void Data_stays_intact_through_many_migrations()
    {
        using var cluster = new InProcessCluster(3);
        uint db = cluster.AttachEverywhere("intact.tdb");
        var clients = Enumerable.Range(0, 3).Select(cluster.Connect).ToArray();
        try
        {
            foreach (uint lmaster in new uint[] { 0, 1, 2 })
            {
                string keyText = Encoding.ASCII.GetString(cluster.KeyWithLmaster(lmaster, "intact"));
                string value = $"value-of-{keyText}-" + new string('v', 300);
                Ok(cluster.Ctdb((int)((lmaster + 1) % 3), "writekey", "intact.tdb", keyText, value));
                byte[] key = Encoding.ASCII.GetBytes(keyText);
                ulong last = 0;
                for (int i = 0; i < 60; i++)
                {
                    int node = (i * 7 + (int)lmaster) % 3;
                    var r = clients[node].Call(db, key, ReqCall.FetchFunc, i % 3 == 0 ? 0 : ReqCall.FlagImmediateMigration);
                    Assert.Equal(0, r.Status);
                    Assert.Equal(value, Encoding.ASCII.GetString(r.Data));
                    var h = Header(clients[node].Call(db, key, ReqCall.FetchWithHeaderFunc, 0));
                    Assert.True(h.Rsn > last);
                    Assert.Equal(LtdbHeader.FlagMigratedWithData, h.Flags & LtdbHeader.FlagMigratedWithData);
                    last = h.Rsn;
                }
            }
        }
        finally
        {
            foreach (var c in clients)
            {
                c.Dispose();
            }
        }
    }

    [Fact]
    public void Concurrent_callers_on_every_node_all_get_answers()
    {
        using var cluster = new InProcessCluster(3);
        uint db = cluster.AttachEverywhere("busy.tdb");
        byte[] key = Encoding.ASCII.GetBytes("hot-record");
        const int PerClient = 40;
        var threads = new List<Thread>();
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        for (int node = 0; node < 3; node++)
        {
            for (int k = 0; k < 3; k++)
            {
                int n = node;
                threads.Add(new Thread(() =>
                {
                    try
                    {
                        using var c = cluster.Connect(n);
                        for (int i = 0; i < PerClient; i++)
                        {
                            var r = c.Call(db, key, ReqCall.FetchWithHeaderFunc, ReqCall.FlagImmediateMigration);
                            if (r.Status != 0 || Header(r).Dmaster != (uint)n)
                            {
                                errors.Enqueue($"node {n}: status {r.Status} dmaster {Header(r).Dmaster}");
                            }
                        }
                    }
                    catch (Exception e)
                    {
                        errors.Enqueue($"node {n}: {e.Message}");
                    }
                }));
            }
        }
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Empty(errors);
        // Nine callers, one record: every node was its data master at some point (checked per
        // call above), so it migrated at least twice, each time with dmaster packets. How often
        // it moved beyond that depends on how the threads interleave on the host.
        uint moves = 0;
        for (int pnn = 0; pnn < 3; pnn++)
        {
            var s = cluster.Statistics(pnn);
            moves += s.NodeReplyDmaster + s.NodeReqDmaster;
        }
        Assert.True(moves >= 2, $"{moves} dmaster packets");
    }

    [Fact]
    public async Task Calls_wait_while_recovery_is_active()
    {
        using var cluster = new InProcessCluster(3);
        uint db = cluster.AttachEverywhere("rec.tdb");
        byte[] key = cluster.KeyWithLmaster(0, "recovering");
        using var c1 = cluster.Connect(1);
        cluster.OnLoop(1, d => d.InjectRecoveryMode(RecoveryMode.Active));
        var call = Task.Run(() => c1.Call(db, key, ReqCall.FetchWithHeaderFunc, 0));
        Assert.False(await Finishes(call, 300));
        Assert.Equal(0u, cluster.Statistics(0).NodeReqCall + cluster.Statistics(2).NodeReqCall);
        cluster.OnLoop(1, d => d.InjectRecoveryMode(RecoveryMode.Normal));
        Assert.True(await Finishes(call, 5000));
        Assert.Equal(1u, Header(await call).Dmaster);
    }

    [Fact]
    public async Task A_call_lost_to_a_generation_change_is_resent_after_recovery()
    {
        using var cluster = new InProcessCluster(3);
        uint db = cluster.AttachEverywhere("resend.tdb");
        byte[] key = cluster.KeyWithLmaster(0, "resent");
        using var c2 = cluster.Connect(2);
        // Node 0 moved on to another generation: node 2's REQ_CALL is dropped there.
        cluster.OnLoop(0, d => d.InjectVnnMap(new VnnMap(0x5151, [0, 1, 2])));
        var call = Task.Run(() => c2.Call(db, key, ReqCall.FetchWithHeaderFunc, ReqCall.FlagImmediateMigration));
        Assert.False(await Finishes(call, 300));
        // Recovery: one new generation everywhere, then the databases are thawed.
        cluster.SetGeneration(0x5151);
        cluster.OnLoop(2, d => d.ResendPendingCalls(db));
        Assert.True(await Finishes(call, 5000));
        Assert.Equal(0, (await call).Status);
        Assert.Equal(2u, Header(await call).Dmaster);
        // Node 0 (lmaster and dmaster) saw the first REQ_CALL (dropped) and the resent one.
        Assert.Equal(2u, cluster.Statistics(0).NodeReqCall);
    }

    [Fact]
    public void A_call_to_a_node_without_the_database_fails_instead_of_hanging()
    {
        using var cluster = new InProcessCluster(3);
        using var c1 = cluster.Connect(1);
        // A client's attach is passed on to the connected nodes; one the node sends itself is not.
        cluster.OnLoop(1, d => d.SendNodeControl(1, ControlOpcode.DbAttach, 0, CString.Encode("only-on-1.tdb"), static _ => { }));
        uint db = c1.AttachDatabase("only-on-1.tdb");
        byte[] key = cluster.KeyWithLmaster(0, "nowhere");
        var r = c1.Call(db, key, ReqCall.FetchFunc, 0);
        Assert.Equal(-1, r.Status);
        Assert.Equal(1u, cluster.Statistics(1).NodeReplyError);
    }

    private static async Task<bool> Finishes(Task task, int milliseconds) =>
        await Task.WhenAny(task, Task.Delay(milliseconds)) == task;

    private static string Ok((int Code, string Out, string Err) r)
    {
        Assert.True(r.Code == 0, $"ctdb failed ({r.Code}): {r.Out} {r.Err}");
        return r.Out;
    }
}
