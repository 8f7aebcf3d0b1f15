// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server.Recovery;

/// <summary>
/// Which nodes a recovery takes records from. Every node remembers the epoch of the last
/// recovery it completed (kept across restarts). A node whose epoch is below the highest one
/// missed a recovery: it was inactive or cut off while the others went on, so records it still
/// holds may have been changed or deleted since. Its data is never pulled; it only receives.
/// </summary>
internal static class RecoverySources
{
    /// <summary>The nodes holding the highest recovery epoch.</summary>
    public static HashSet<uint> Trusted(IReadOnlyDictionary<uint, ulong> epochs)
    {
        var trusted = new HashSet<uint>();
        if (epochs.Count == 0)
        {
            return trusted;
        }
        ulong max = epochs.Values.Max();
        foreach (var (pnn, epoch) in epochs)
        {
            if (epoch == max)
            {
                trusted.Add(pnn);
            }
        }
        return trusted;
    }

    /// <summary>
    /// The node a persistent or replicated database is copied from: the trusted node with the
    /// highest __db_sequence_number__ (lowest PNN on a tie); when no trusted node has the
    /// database, the node with the highest sequence number among all. Null when no node has it.
    /// </summary>
    public static uint? SeqnumSource(IReadOnlyDictionary<uint, ulong> seqnums, ISet<uint> trusted)
    {
        uint? best = Pick(seqnums.Where(p => trusted.Contains(p.Key)));
        return best ?? Pick(seqnums);
    }

    private static uint? Pick(IEnumerable<KeyValuePair<uint, ulong>> candidates)
    {
        uint? best = null;
        ulong bestSeq = 0;
        foreach (var (pnn, seq) in candidates.OrderBy(p => p.Key))
        {
            if (best is null || seq > bestSeq)
            {
                best = pnn;
                bestSeq = seq;
            }
        }
        return best;
    }

    /// <summary>The epoch of a recovery: term in the high half, the leader's recovery count in the low half.</summary>
    public static ulong Epoch(uint term, uint run) => ((ulong)term << 32) | run;
}
