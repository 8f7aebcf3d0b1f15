// SPDX-License-Identifier: GPL-3.0-or-later
using Microsoft.Extensions.Time.Testing;

namespace CtdbPcmk.Heartbeat.Tests;

public sealed class KeepaliveMonitorTests
{
    private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(5);

    private readonly FakeTimeProvider _time = new();
    private readonly List<uint> _keepalives = new();
    private readonly List<uint> _dead = new();

    private KeepaliveMonitor Create(int nodes = 4, int limit = 3) =>
        new(nodes, _time) { Interval = s_interval, Limit = limit };

    /// <summary>Lets one whole interval pass and runs the check; the lists hold its verdict.</summary>
    private void NextInterval(KeepaliveMonitor m)
    {
        _keepalives.Clear();
        _dead.Clear();
        _time.Advance(s_interval);
        Assert.True(m.Check(_keepalives, _dead), "a whole interval passed: the check must run");
    }

    [Fact]
    public void Nothing_is_checked_before_the_interval_is_over()
    {
        var m = Create();
        m.Connected(1);
        Assert.Equal(s_interval, m.DueIn);
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(TimeSpan.FromSeconds(1), m.DueIn);
        Assert.False(m.Check(_keepalives, _dead));
        Assert.Empty(_keepalives);
        Assert.Empty(_dead);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, m.DueIn);
        Assert.True(m.Check(_keepalives, _dead));
        Assert.Equal(s_interval, m.DueIn);
    }

    [Fact]
    public void A_silent_node_gets_keepalives_and_is_dead_after_limit_silent_intervals()
    {
        var m = Create(limit: 3);
        m.Connected(2);
        // The interval in which the link came up counts as heard.
        NextInterval(m);
        Assert.Equal(new uint[] { 2 }, _keepalives);
        Assert.Equal(0, m.SilentIntervals(2));
        NextInterval(m);
        Assert.Equal(new uint[] { 2 }, _keepalives);
        Assert.Equal(1, m.SilentIntervals(2));
        NextInterval(m);
        Assert.Empty(_dead);
        Assert.Equal(2, m.SilentIntervals(2));
        NextInterval(m);
        Assert.Equal(new uint[] { 2 }, _dead);
        Assert.Empty(_keepalives);
        Assert.False(m.IsWatched(2));
        // A dead node is reported once, then forgotten until it connects again.
        NextInterval(m);
        Assert.Empty(_dead);
        Assert.Empty(_keepalives);
    }

    [Fact]
    public void Any_packet_from_the_node_resets_its_silence()
    {
        var m = Create(limit: 2);
        m.Connected(1);
        NextInterval(m);
        NextInterval(m);
        Assert.Equal(1, m.SilentIntervals(1));
        m.Received(1);
        NextInterval(m);
        Assert.Equal(0, m.SilentIntervals(1));
        Assert.Empty(_dead);
        for (int i = 0; i < 10; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(2));
            m.Received(1);
            _time.Advance(TimeSpan.FromSeconds(3));
            Assert.True(m.Check(_keepalives, _dead));
        }
        Assert.Empty(_dead);
        Assert.True(m.IsWatched(1));
    }

    [Fact]
    public void No_keepalive_to_a_node_that_was_sent_something_in_the_interval()
    {
        var m = Create();
        m.Connected(1);
        m.Connected(3);
        m.Sent(1);
        NextInterval(m);
        Assert.Equal(new uint[] { 3 }, _keepalives);
        // Traffic of one interval does not carry over into the next.
        NextInterval(m);
        Assert.Equal(new uint[] { 1, 3 }, _keepalives);
    }

    [Fact]
    public void Only_connected_nodes_are_watched_and_a_reconnect_starts_afresh()
    {
        var m = Create(limit: 2);
        m.Received(0);
        m.Sent(0);
        NextInterval(m);
        Assert.Empty(_keepalives);
        m.Connected(1);
        NextInterval(m);
        NextInterval(m);
        Assert.Equal(1, m.SilentIntervals(1));
        m.Disconnected(1);
        Assert.False(m.IsWatched(1));
        NextInterval(m);
        Assert.Empty(_keepalives);
        Assert.Empty(_dead);
        m.Connected(1);
        Assert.Equal(0, m.SilentIntervals(1));
        NextInterval(m);
        Assert.Empty(_dead);
        NextInterval(m);
        Assert.Empty(_dead);
        NextInterval(m);
        Assert.Equal(new uint[] { 1 }, _dead);
    }

    [Fact]
    public void A_late_check_counts_as_one_interval()
    {
        var m = Create(limit: 2);
        m.Connected(1);
        // The owner was paused for many intervals: still only one interval is closed.
        _time.Advance(s_interval * 10);
        Assert.True(m.Check(_keepalives, _dead));
        Assert.Empty(_dead);
        Assert.Equal(0, m.SilentIntervals(1));
        // The next interval starts at the check, not at the missed boundaries.
        Assert.Equal(s_interval, m.DueIn);
        Assert.False(m.Check(_keepalives, _dead));
    }

    [Fact]
    public void Tunable_changes_apply_to_the_running_interval()
    {
        var m = Create(limit: 5);
        m.Connected(1);
        _time.Advance(TimeSpan.FromSeconds(1));
        m.Interval = TimeSpan.FromSeconds(1);
        Assert.Equal(TimeSpan.Zero, m.DueIn);
        Assert.True(m.Check(_keepalives, _dead));
        m.Limit = 1;
        _time.Advance(TimeSpan.FromSeconds(1));
        _dead.Clear();
        Assert.True(m.Check(_keepalives, _dead));
        Assert.Equal(new uint[] { 1 }, _dead);
    }

    [Fact]
    public void Nonsense_settings_are_clamped_and_unknown_nodes_rejected()
    {
        var m = Create(nodes: 2);
        m.Interval = TimeSpan.Zero;
        m.Limit = 0;
        Assert.Equal(TimeSpan.FromMilliseconds(1), m.Interval);
        Assert.Equal(1, m.Limit);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Connected(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => m.SilentIntervals(7));
        // Packets on the hot path from an out-of-range number are ignored rather than thrown on.
        m.Received(9);
        m.Sent(9);
        Assert.Throws<ArgumentOutOfRangeException>(() => new KeepaliveMonitor(-1, _time));
    }
}
