// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Text;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Server.Tests;

/// <summary>A node that hangs with its links up: what waits on it finds it, long before keepalives would.</summary>
public class HungNodeTests
{
    [Fact]
    public void A_call_waiting_on_a_hung_node_gets_it_dropped_and_is_answered_after_the_recovery()
    {
        using var cluster = MemoryCluster.Led();
        uint id;
        using (var c = cluster.Connect(1))
        {
            id = c.AttachDatabase("hung.tdb");
        }
        cluster.WaitRecovered(0);
        string key = Enumerable.Range(0, 1000).Select(i => $"k{i}")
            .First(k => cluster.OnLoop(0, d => d.Cluster.Lmaster(Encoding.UTF8.GetBytes(k))) == 2);

        // Node 2 hangs: its links stay up, but nothing it would send arrives any more.
        cluster.Hub.Stall(2, 0);
        cluster.Hub.Stall(2, 1);
        var clock = Stopwatch.StartNew();
        using var client = cluster.Connect(1);
        client.Timeout = TimeSpan.FromSeconds(20);
        var reply = client.Call(id, Encoding.UTF8.GetBytes(key), ReqCall.FetchFunc, 0);
        Assert.Equal(0, reply.Status);
        // Keepalives alone would take KeepaliveInterval × KeepaliveLimit (25 s); the request
        // waits 2 s, the probe 2 s more, within the once-a-second tick.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the call took {clock.Elapsed}");
        Assert.DoesNotContain(2u, cluster.OnLoop(0, d => d.Cluster.VnnMap.Map.ToArray()));
    }

    [Fact]
    public void A_slow_but_live_node_is_probed_and_kept()
    {
        using var cluster = MemoryCluster.Led();
        var before = cluster.State(0);
        // A control to node 2 that stays unanswered for 3 s: node 2's loop is busy (blocked),
        // but it answers the probe as soon as it runs again, within the probe's wait.
        var blocked = cluster.OnLoop(2, d =>
        {
            d.PostToLoop(() => Thread.Sleep(3000));
            return 0;
        });
        using (var c = cluster.Connect(0))
        {
            Assert.Equal(2, c.Control(ControlOpcode.GetPnn, 2, default).Status);
        }
        Thread.Sleep(3000);
        var after = cluster.WaitRecovered(0)[0];
        Assert.Equal(before.Generation, after.Generation);
    }
}
