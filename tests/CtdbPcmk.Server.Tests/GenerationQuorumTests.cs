// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Client;
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Cluster;

namespace CtdbPcmk.Server.Tests;

/// <summary>
/// A leader whose links go before its Corosync has noticed anything (the majority saw it go
/// first and closed its links to it, as when its packets stop reaching the others): it must not
/// recover the nodes it still has, itself alone, on a quorum that is only stale, and acknowledge
/// commits the majority never sees. It waits for Corosync's word; Corosync standing in here.
/// </summary>
public class GenerationQuorumTests
{
    [Fact]
    public void A_leader_that_lost_its_links_first_forms_no_generation_of_its_own_while_corosync_still_has_the_others()
    {
        using var cluster = MemoryCluster.Led();
        var (id, before, corosync) = IsolateLeaderBeforeCorosyncNotices(cluster);
        Thread.Sleep(1500);
        Assert.Equal(before.Generation, cluster.State(0).Generation);
        Assert.Equal([0u, 1u, 2u], cluster.OnLoop(0, d => d.Cluster.VnnMap.Map.Order().ToArray()));
        // The generation's other nodes cannot be reached: the commit waits for a recovery that
        // does not come, or fails; it is not acknowledged.
        Assert.False(Acknowledged(cluster, 0, id, TimeSpan.FromSeconds(3)));
        Assert.True(corosync.Asked > 0, "the leader never asked corosync's quorum");

        // Corosync has the membership change now: no quorum. The leader's next tries ask it and
        // form nothing, then its notification comes.
        corosync.Set(quorate: false);
        int asked = corosync.Asked;
        Thread.Sleep(1200);
        Assert.True(corosync.Asked > asked, "the leader stopped asking corosync");
        Assert.Equal(before.Generation, cluster.State(0).Generation);
        cluster.OnLoop(0, d => { d.Recovery.QuorumChanged(false); return 0; });
        Thread.Sleep(1000);
        var alone = cluster.State(0);
        Assert.Equal(before.Generation, alone.Generation);
        Assert.Equal(RecoveryMode.Active, alone.RecoveryMode);
        Assert.False(Acknowledged(cluster, 0, id, TimeSpan.FromSeconds(3)));
        using (var c = cluster.Connect(0))
        {
            Assert.Equal(0ul, c.GetDbSeqnum(id));
        }
    }

    [Fact]
    public void Once_corosync_says_the_other_daemons_are_gone_with_quorum_kept_the_leader_goes_on_alone()
    {
        using var cluster = MemoryCluster.Led();
        var (id, before, corosync) = IsolateLeaderBeforeCorosyncNotices(cluster);
        Thread.Sleep(1200);
        Assert.Equal(before.Generation, cluster.State(0).Generation);

        // Corosync reports both daemons gone (their processes ended) and this node quorate, but
        // its membership has only just changed: other daemons may still be announcing themselves.
        corosync.Set(quorate: true, settled: false);
        Thread.Sleep(1200);
        Assert.Equal(before.Generation, cluster.State(0).Generation);

        // It stands: the leader recovers the node it has.
        corosync.Set(quorate: true);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (cluster.OnLoop(0, d => d.Cluster.VnnMap.Map.Count != 1 || d.Cluster.RecoveryMode != RecoveryMode.Normal))
        {
            Assert.True(DateTime.UtcNow < deadline, "the leader never recovered the node it has");
            Thread.Sleep(50);
        }
        Assert.NotEqual(before.Generation, cluster.State(0).Generation);
        using (var c = cluster.Connect(0))
        {
            Assert.Equal(0, c.Trans3CommitRaw(id, [TransactionRecord.SequenceNumber(1, 0)], TimeSpan.FromSeconds(10)));
        }
    }

    /// <summary>
    /// Node 0 leads with a persistent database attached everywhere; Corosync (standing in)
    /// still has the other two daemons and quorum when node 0's links go.
    /// </summary>
    private static (uint Id, LeaderState Before, StandInCorosync Corosync) IsolateLeaderBeforeCorosyncNotices(MemoryCluster cluster)
    {
        uint id;
        using (var c = cluster.Connect(0))
        {
            id = c.AttachDatabase("generation.tdb", DatabaseKind.Persistent);
        }
        var before = cluster.WaitRecovered(0)[0];
        var corosync = new StandInCorosync(quorate: true, 1, 2);
        cluster.OnLoop(0, d => d.Generations.Corosync = corosync);
        cluster.Hub.Isolate(0);
        return (id, before, corosync);
    }

    private static bool Acknowledged(MemoryCluster cluster, uint pnn, uint id, TimeSpan timeout)
    {
        using var c = cluster.Connect(pnn);
        try
        {
            return c.Trans3CommitRaw(id, [TransactionRecord.SequenceNumber(1, pnn)], timeout) == 0;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Corosync as the leader would see it: its quorum, and which daemons it holds.</summary>
    private sealed class StandInCorosync(bool quorate, params uint[] held) : ICorosyncView
    {
        private readonly Lock _lock = new();
        private bool _quorate = quorate;
        private HashSet<uint> _held = [.. held];
        private int _asked;
        private bool _settled = true;

        public int Asked => Volatile.Read(ref _asked);

        public void Set(bool quorate, params uint[] held) => Set(quorate, settled: true, held);

        public void Set(bool quorate, bool settled, params uint[] held)
        {
            lock (_lock)
            {
                _quorate = quorate;
                _settled = settled;
                _held = [.. held];
            }
        }

        public bool Settled(TimeSpan quiet)
        {
            lock (_lock)
            {
                return _settled;
            }
        }

        public bool? QuorateNow()
        {
            Interlocked.Increment(ref _asked);
            lock (_lock)
            {
                return _quorate;
            }
        }

        public bool HoldsDaemonOf(uint pnn)
        {
            lock (_lock)
            {
                return _held.Contains(pnn);
            }
        }
    }
}
