// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server.Cluster;

/// <summary>The daemon's two Corosync connections, as <see cref="GenerationQuorum"/> asks them.</summary>
internal sealed class CorosyncView(CorosyncMembership membership, CorosyncQuorum quorum) : ICorosyncView
{
    public bool? QuorateNow() => quorum.AskNow();

    public bool HoldsDaemonOf(uint pnn) => membership.HoldsDaemonOf(pnn);

    public bool Settled(TimeSpan quiet)
    {
        long last = Math.Max(membership.LastChange, quorum.LastChange);
        return Environment.TickCount64 - last >= (long)quiet.TotalMilliseconds;
    }
}
