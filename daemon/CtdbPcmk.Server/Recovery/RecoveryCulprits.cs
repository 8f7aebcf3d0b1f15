// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server.Recovery;

/// <summary>
/// The leader's count of failed recoveries per node to blame (the node whose control failed).
/// A node is to be banned once it was blamed for more than twice as many failed recoveries as
/// the cluster has nodes (ctdbd's threshold) over at least <see cref="MinimumStreak"/>, with no
/// completed recovery in between: a node whose disk is full or read-only would otherwise keep
/// the whole cluster in recovery. A node whose failures stop for RecoveryGracePeriod starts
/// again from zero.
/// </summary>
internal sealed class RecoveryCulprits
{
    /// <summary>Failures in quick succession (retries 100 ms apart) alone do not ban: a node just restarting may fail a few.</summary>
    public static readonly TimeSpan MinimumStreak = TimeSpan.FromSeconds(10);

    private readonly Dictionary<uint, Streak> _streaks = [];

    /// <summary>
    /// Counts a failed recovery against <paramref name="pnn"/> at <paramref name="now"/>; true
    /// when that node is now to be banned (its count then starts again).
    /// </summary>
    public bool Blame(uint pnn, int nodeCount, DateTimeOffset now, TimeSpan gracePeriod)
    {
        if (!_streaks.TryGetValue(pnn, out var streak) || now - streak.Last > gracePeriod)
        {
            streak = new Streak(now, now, 0);
        }
        streak = streak with { Last = now, Count = streak.Count + 1 };
        if (streak.Count > 2 * nodeCount && now - streak.First >= MinimumStreak)
        {
            _streaks.Remove(pnn);
            return true;
        }
        _streaks[pnn] = streak;
        return false;
    }

    /// <summary>Failed recoveries blamed on <paramref name="pnn"/> in its current streak.</summary>
    public int CountOf(uint pnn) => _streaks.TryGetValue(pnn, out var s) ? s.Count : 0;

    /// <summary>A recovery completed: every node starts again from zero.</summary>
    public void Clear() => _streaks.Clear();

    private readonly record struct Streak(DateTimeOffset First, DateTimeOffset Last, int Count);
}
