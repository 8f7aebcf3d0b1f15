// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server.Calls;

/// <summary>
/// The routing rules of record migration as pure functions of the record header, this node's
/// pnn and the key's lmaster. The lmaster always knows the dmaster, so a call that misses the
/// dmaster goes to the lmaster, and from there to the dmaster it recorded.
/// </summary>
internal static class CallRouter
{
    /// <summary>A client's call at node <paramref name="pnn"/>: run here, or forward to the dmaster hint.</summary>
    public static CallRoute ForClient(uint pnn, uint dmaster) =>
        dmaster == pnn ? new CallRoute(CallAction.RunLocal, pnn) : new CallRoute(CallAction.Forward, dmaster);

    /// <summary>A node REQ_CALL from <paramref name="srcNode"/> arriving at <paramref name="pnn"/>.</summary>
    public static CallRoute ForNode(uint pnn, uint srcNode, uint dmaster, uint lmaster)
    {
        if (dmaster != pnn)
        {
            // Someone else holds the record: the lmaster knows who, everyone else asks the lmaster.
            return new CallRoute(CallAction.Redirect, pnn == lmaster ? dmaster : lmaster);
        }
        if (srcNode == pnn)
        {
            return new CallRoute(CallAction.RunLocal, pnn);
        }
        // The dmaster always gives the record away to the asking node; the lmaster must learn
        // of the move before the new dmaster is told, so a non-lmaster goes through it.
        return lmaster == pnn
            ? new CallRoute(CallAction.MigrateByReply, srcNode)
            : new CallRoute(CallAction.MigrateByRequest, lmaster);
    }

    /// <summary>
    /// Checks a REQ_DMASTER from <paramref name="srcNode"/> against the lmaster's record: only the
    /// dmaster the lmaster recorded may give the record away, except for a record the lmaster
    /// has never seen changed (rsn 0 and still its own), which any node may hold after a recovery.
    /// </summary>
    public static DmasterCheck CheckReqDmaster(uint pnn, uint lmaster, uint srcNode, uint recordedDmaster, ulong recordedRsn)
    {
        if (lmaster != pnn)
        {
            return DmasterCheck.NotLmaster;
        }
        if (recordedDmaster != srcNode && (recordedRsn != 0 || recordedDmaster != pnn))
        {
            return DmasterCheck.NotDmaster;
        }
        return DmasterCheck.Accept;
    }
}
