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
        WaitMajority(cluster, 1);
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

    private static void WaitMajority(MemoryCluster cluster, uint leader)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var states = new[] { cluster.State(1), cluster.State(2) };
            if (states.All(s => s.Leader == leader && s.Recovered != 0 && s.RecoveryMode == RecoveryMode.Normal)
                && states[0].Generation == states[1].Generation)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, "nodes 1 and 2 did not recover: " + string.Join("; ", states));
            Thread.Sleep(10);
        }
    }
}
