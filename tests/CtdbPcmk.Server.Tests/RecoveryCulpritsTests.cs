// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Server.Recovery;

namespace CtdbPcmk.Server.Tests;

/// <summary>When the leader bans a node that keeps failing recoveries (a full or read-only disk).</summary>
public class RecoveryCulpritsTests
{
    private static readonly DateTimeOffset s_start = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan s_grace = TimeSpan.FromSeconds(120);

    [Fact]
    public void More_than_twice_the_node_count_of_failures_over_ten_seconds_bans()
    {
        var culprits = new RecoveryCulprits();
        // Retries 100 ms apart: seven failures in 0.6 s are not enough on their own.
        for (int i = 0; i < 7; i++)
        {
            Assert.False(culprits.Blame(1, 3, s_start.AddMilliseconds(100 * i), s_grace));
        }
        // Still failing 10 s after the first failure: banned, and the count starts again.
        Assert.False(culprits.Blame(1, 3, s_start.AddSeconds(9.9), s_grace));
        Assert.True(culprits.Blame(1, 3, s_start.AddSeconds(10), s_grace));
        Assert.Equal(0, culprits.CountOf(1));
    }

    [Fact]
    public void Few_failures_over_a_long_time_do_not_ban()
    {
        var culprits = new RecoveryCulprits();
        for (int i = 0; i < 6; i++)
        {
            Assert.False(culprits.Blame(2, 3, s_start.AddSeconds(15 * i), s_grace));
        }
        Assert.Equal(6, culprits.CountOf(2));
    }

    [Fact]
    public void A_completed_recovery_or_a_quiet_grace_period_starts_every_node_again()
    {
        var culprits = new RecoveryCulprits();
        for (int i = 0; i < 6; i++)
        {
            culprits.Blame(0, 3, s_start.AddSeconds(i), s_grace);
        }
        culprits.Clear();
        Assert.False(culprits.Blame(0, 3, s_start.AddSeconds(11), s_grace));
        Assert.Equal(1, culprits.CountOf(0));

        for (int i = 0; i < 5; i++)
        {
            culprits.Blame(0, 3, s_start.AddSeconds(12 + i), s_grace);
        }
        Assert.Equal(6, culprits.CountOf(0));
        // Nothing for longer than the grace period: the next failure is the first of a new streak.
        Assert.False(culprits.Blame(0, 3, s_start.AddSeconds(16 + 121), s_grace));
        Assert.Equal(1, culprits.CountOf(0));
    }

    [Fact]
    public void Each_node_has_its_own_count()
    {
        var culprits = new RecoveryCulprits();
        for (int i = 0; i < 6; i++)
        {
            culprits.Blame(1, 3, s_start.AddSeconds(2 * i), s_grace);
        }
        Assert.False(culprits.Blame(2, 3, s_start.AddSeconds(20), s_grace));
        Assert.True(culprits.Blame(1, 3, s_start.AddSeconds(20), s_grace));
        Assert.Equal(1, culprits.CountOf(2));
    }
}
