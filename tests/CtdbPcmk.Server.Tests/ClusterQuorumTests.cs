// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Client;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Server.Tests;

/// <summary>
/// Corosync's quorum as the daemon acts on it: a node whose partition lost quorum is a minority,
/// so it refuses persistent commits and, as leader, forms no generation with the nodes it
/// still reaches; the majority's new leader goes on, and the node comes back with quorum.
/// </summary>
public class ClusterQuorumTests
{
    [Fact]
    public void A_leader_cut_off_without_quorum_forms_no_generation_of_its_own_and_refuses_commits()
    {
        using var cluster = new MemoryCluster(3);
        using (var c = cluster.Connect(0))
        {
            c.SetLeaderRole(true);
        }
        var before = cluster.WaitRecovered(0)[0];
        uint id;
        using (var c = cluster.Connect(0))
        {
            id = c.AttachDatabase("quorum.tdb", DatabaseKind.Persistent);
        }
        foreach (uint pnn in new uint[] { 1, 2 })
        {
            using var c = cluster.Connect(pnn);
            c.AttachDatabase("quorum.tdb", DatabaseKind.Persistent);
        }

        // Node 0 loses quorum (Corosync formed a membership without it), then its links.
        cluster.OnLoop(0, d => { d.Recovery.QuorumChanged(false); return 0; });
        cluster.Hub.Isolate(0);
        Thread.Sleep(1500);
        var alone = cluster.State(0);
        Assert.Equal(RecoveryMode.Active, alone.RecoveryMode);
        Assert.Equal(before.Generation, alone.Generation);
        Assert.Equal(0u, alone.Recovered);
        using (var c = cluster.Connect(0))
        {
            Assert.NotEqual(0, c.Trans3CommitRaw(id, [TransactionRecord.SequenceNumber(1, 0)], TimeSpan.FromSeconds(5)));
            Assert.Equal(0ul, c.GetDbSeqnum(id));
        }

        // The majority's new leader recovers nodes 1 and 2, where commits go on.
        using (var c = cluster.Connect(1))
        {
            c.SetLeaderRole(true);
        }
        WaitMajority(cluster, 1, 1, 2);
        using (var c = cluster.Connect(1))
        {
            Assert.Equal(0, c.Trans3CommitRaw(id, [TransactionRecord.SequenceNumber(1, 1)], TimeSpan.FromSeconds(10)));
        }
        Assert.NotEqual(before.Generation, cluster.State(1).Generation);
        Assert.False(cluster.OnLoop(0, d => d.IsLeaderNow && d.Cluster.RecoveryMode == RecoveryMode.Normal));

        // Pacemaker demotes the instance that lost quorum; healed, node 0 is taken into the
        // leader's generation and has the commit made without it.
        using (var c = cluster.Connect(0))
        {
            c.SetLeaderRole(false);
        }
        cluster.Hub.Rejoin(0);
        cluster.OnLoop(0, d => { d.Recovery.QuorumChanged(true); return 0; });
        cluster.WaitRecovered(1);
        using (var c = cluster.Connect(0))
        {
            Assert.Equal(1ul, c.GetDbSeqnum(id));
        }
    }

    [Fact]
    public void A_node_corosync_left_out_is_held_off_while_its_packets_still_arrive_and_the_rest_go_on()
    {
        using var cluster = MemoryCluster.Led();
        uint id;
        using (var c = cluster.Connect(0))
        {
            id = c.AttachDatabase("held.tdb", DatabaseKind.Persistent);
        }
        cluster.WaitRecovered(0);

        // A one-way cut: nothing from node 0 reaches node 2, node 2's packets still reach node 0.
        // Corosync on nodes 0 and 1 leaves node 2 out of their membership.
        cluster.Hub.Stall(0, 2);
        foreach (uint pnn in new uint[] { 0, 1 })
        {
            cluster.OnLoop(pnn, d => { d.Links.Hold(2, "left out of the membership"); return 0; });
        }
        WaitMajority(cluster, 0, 0, 1);
        using (var c = cluster.Connect(1))
        {
            Assert.Equal(0, c.Trans3CommitRaw(id, [TransactionRecord.SequenceNumber(1, 1)], TimeSpan.FromSeconds(10)));
        }
        Thread.Sleep(1500); // node 2 is not linked again meanwhile
        Assert.Equal([0u, 1u], cluster.OnLoop(0, d => d.Cluster.VnnMap.Map.Order().ToArray()));

        // Healed: node 2's daemon is back in the membership and is recovered into the generation.
        cluster.Hub.Unstall(0, 2);
        foreach (uint pnn in new uint[] { 0, 1 })
        {
            cluster.OnLoop(pnn, d => { d.Links.Hold(2, null); return 0; });
        }
        cluster.WaitRecovered(0);
        using (var c = cluster.Connect(2))
        {
            Assert.Equal(1ul, c.GetDbSeqnum(id));
        }
    }

    private static void WaitMajority(MemoryCluster cluster, uint leader, params uint[] nodes)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var states = nodes.Select(cluster.State).ToArray();
            if (states.All(s => s.Leader == leader && s.Recovered != 0 && s.RecoveryMode == RecoveryMode.Normal)
                && states.All(s => s.Generation == states[0].Generation))
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"nodes {string.Join(",", nodes)} did not recover: " + string.Join("; ", states));
            Thread.Sleep(10);
        }
    }
}
