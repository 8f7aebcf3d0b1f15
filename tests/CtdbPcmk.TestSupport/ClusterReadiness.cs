// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.TestSupport;

/// <summary>What <see cref="LocalCluster.Start"/> waits for before it returns.</summary>
public enum ClusterReadiness
{
    /// <summary>
    /// Every node healthy, recovery mode NORMAL, in one generation. For ctdb-pcmkd node 0 is
    /// given the leader role first (Pacemaker's job in production); real ctdbd elects its own.
    /// </summary>
    Stable,

    /// <summary>
    /// Node 0 answers the ctdb tool and nobody is given the leader role. Real ctdbd must also
    /// be RUNNING with its node status known: after the socket opens it still runs its startup
    /// and first monitor events, which takes seconds. ctdb-pcmkd has no event scripts and is
    /// complete when it answers its socket, so for it one control round trip suffices.
    /// </summary>
    Node0Answers,
}
