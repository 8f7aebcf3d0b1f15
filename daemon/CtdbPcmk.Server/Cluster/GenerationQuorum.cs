// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server.Cluster;

/// <summary>What Corosync holds now, as <see cref="GenerationQuorum"/> asks it.</summary>
internal interface ICorosyncView
{
    /// <summary>Corosync's quorum asked now; null when Corosync is not reached.</summary>
    bool? QuorateNow();

    /// <summary>True while this node's Corosync holds the daemon of <paramref name="pnn"/> in its membership.</summary>
    bool HoldsDaemonOf(uint pnn);

    /// <summary>True when nothing Corosync told (quorum, the group's members) changed for <paramref name="quiet"/>.</summary>
    bool Settled(TimeSpan quiet);
}

/// <summary>
/// The leader forms a generation of at most half of the nodes only on Corosync's word. Links can
/// go before this node's Corosync has noticed anything: the other side of a partition that saw
/// this node go first closes its links to it, and a leader cut off in one direction would then
/// recover the nodes it still has, itself alone, while its stale quorum still says yes, and
/// acknowledge commits the majority's generation never sees. So such a generation waits while
/// Corosync still has, in this node's membership, the daemon of a node it leaves out for want of
/// a link, or while Corosync's membership changed less than <see cref="Quiet"/> ago, and it asks
/// Corosync's quorum at that moment rather than trusting the last notification. Larger
/// generations go ahead as before: a hung daemon is recovered out by the majority without
/// waiting for Corosync, which still counts it.
/// </summary>
internal sealed class GenerationQuorum(ClusterState cluster)
{
    /// <summary>
    /// How long Corosync's word must stand before a small generation is formed on it: the events
    /// of one membership change come one by one (quorum back first, the members' daemons
    /// announcing themselves a few hundred ms later), and a leader acting on the first would see
    /// quorum and none of the daemons it has to wait for.
    /// </summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);

    /// <summary>Corosync as the daemon reaches it; null without Corosync (links alone decide).</summary>
    public ICorosyncView? Corosync { get; set; }

    /// <summary>Why a generation of <paramref name="active"/> must not be formed now, or null when it may.</summary>
    public string? Refusal(IReadOnlyCollection<uint> active)
    {
        int nodes = 0;
        for (uint pnn = 0; pnn < (uint)cluster.NodeCount; pnn++)
        {
            if (cluster.IsValidNode(pnn))
            {
                nodes++;
            }
        }
        if (Corosync is not { } corosync || active.Count * 2 > nodes)
        {
            return null;
        }
        if (corosync.QuorateNow() == false)
        {
            return "this node's partition has no quorum";
        }
        if (!corosync.Settled(Quiet))
        {
            return $"a generation of {active.Count} of {nodes} nodes waits until corosync's membership has stood for {Quiet.TotalSeconds:F0} s";
        }
        for (uint pnn = 0; pnn < (uint)cluster.NodeCount; pnn++)
        {
            if (pnn != cluster.Pnn && cluster.IsValidNode(pnn) && !active.Contains(pnn) && !cluster.IsConnected(pnn)
                && corosync.HoldsDaemonOf(pnn))
            {
                return $"a generation of {active.Count} of {nodes} nodes would leave out node {pnn}, whose link is down "
                    + "while corosync still has its daemon in this node's membership: waiting for corosync";
            }
        }
        return null;
    }
}
