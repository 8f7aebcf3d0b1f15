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

    /// <summary>Advances the clock by <paramref name="step"/> and runs the check, as the owner's timer would.</summary>
    private bool Step(KeepaliveMonitor m, TimeSpan step)
    {
        _keepalives.Clear();
        _dead.Clear();
        _time.Advance(step);
        return m.Check(_keepalives, _dead);
    }

    /// <summary>Runs the owner's loop: check whenever something is due, until <paramref name="total"/> has passed.</summary>
    private List<(TimeSpan At, uint Pnn)> RunFor(KeepaliveMonitor m, TimeSpan total, Action<TimeSpan>? onTick = null)
    {
        var deaths = new List<(TimeSpan, uint)>();
        var start = _time.GetUtcNow();
        while (_time.GetUtcNow() - start < total)
        {
            var due = m.DueIn;
            var step = due > TimeSpan.FromMilliseconds(100) ? TimeSpan.FromMilliseconds(100) : due;
            Step(m, step == TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : step);
            foreach (uint pnn in _dead)
            {
                deaths.Add((_time.GetUtcNow() - start, pnn));
            }
            onTick?.Invoke(_time.GetUtcNow() - start);
        }
        return deaths;
    }

    [Fact]
    public void Nothing_is_checked_before_anything_is_due()
    {
        var m = Create();
        m.Connected(1);
        Assert.Equal(s_interval, m.DueIn);
        Assert.False(Step(m, TimeSpan.FromSeconds(4)));
        Assert.Equal(TimeSpan.FromSeconds(1), m.DueIn);
        Assert.Empty(_keepalives);
        Assert.Empty(_dead);
        Assert.True(Step(m, TimeSpan.FromSeconds(1)));
        Assert.Equal(new uint[] { 1 }, _keepalives);
        Assert.Equal(s_interval, m.DueIn);
    }

    [Fact]
    public void A_silent_node_gets_keepalives_and_is_dead_exactly_limit_intervals_after_its_last_packet()
    {
        var m = Create(limit: 3);
        m.Connected(2);
        var deaths = RunFor(m, TimeSpan.FromSeconds(30));
        Assert.Equal(new[] { (TimeSpan.FromSeconds(15), 2u) }, deaths);
        Assert.False(m.IsWatched(2));
        // A dead node is reported once, then forgotten until it connects again.
        Assert.Empty(RunFor(m, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void A_node_that_stops_mid_interval_is_dead_within_limit_times_interval()
    {
        // The node answers every 4.9 s until it hangs 7.3 s in; its last packet is at 4.9 s.
        var m = Create(limit: 2);
        m.Connected(1);
        var lastPacket = TimeSpan.Zero;
        var deaths = RunFor(m, TimeSpan.FromSeconds(40), at =>
        {
            if (at < TimeSpan.FromSeconds(7.3) && at - lastPacket >= TimeSpan.FromSeconds(4.9))
            {
                m.Received(1);
                lastPacket = at;
            }
        });
        var (deadAt, pnn) = Assert.Single(deaths);
        Assert.Equal(1u, pnn);
        var hangAt = TimeSpan.FromSeconds(7.3);
        Assert.True(deadAt - hangAt <= s_interval * 2, $"declared dead {deadAt - hangAt} after it hung");
        Assert.True(deadAt - lastPacket >= s_interval * 2, "never before Limit × Interval of silence");
    }

    [Fact]
    public void Any_packet_from_the_node_resets_its_silence()
    {
        var m = Create(limit: 2);
        m.Connected(1);
        Step(m, s_interval);
        Assert.Equal(s_interval, m.Silence(1));
        m.Received(1);
        Assert.Equal(TimeSpan.Zero, m.Silence(1));
        // A node heard from every 6 s never reaches 10 s of silence.
        var deaths = RunFor(m, TimeSpan.FromMinutes(2), at =>
        {
            if ((int)at.TotalMilliseconds % 6000 == 0)
            {
                m.Received(1);
            }
        });
        Assert.Empty(deaths);
        Assert.True(m.IsWatched(1));
    }

    [Fact]
    public void No_keepalive_to_a_node_that_was_sent_something_in_the_round()
    {
        var m = Create();
        m.Connected(1);
        m.Connected(3);
        m.Sent(1);
        m.Received(1);
        m.Received(3);
        Assert.True(Step(m, s_interval));
        Assert.Equal(new uint[] { 3 }, _keepalives);
        // Traffic of one round does not carry over into the next.
        m.Received(1);
        m.Received(3);
        Assert.True(Step(m, s_interval));
        Assert.Equal(new uint[] { 1, 3 }, _keepalives);
    }

    [Fact]
    public void Only_connected_nodes_are_watched_and_a_reconnect_starts_afresh()
    {
        var m = Create(limit: 2);
        m.Received(0);
        m.Sent(0);
        Step(m, s_interval);
        Assert.Empty(_keepalives);
        m.Connected(1);
        Step(m, s_interval);
        Assert.Equal(s_interval, m.Silence(1));
        m.Disconnected(1);
        Assert.False(m.IsWatched(1));
        Assert.Equal(TimeSpan.Zero, m.Silence(1));
        Assert.Empty(RunFor(m, s_interval * 4));
        m.Connected(1);
        var deaths = RunFor(m, s_interval * 4);
        Assert.Equal(new[] { (s_interval * 2, 1u) }, deaths);
    }

    [Fact]
    public void A_check_long_after_it_was_due_restarts_the_silence_instead_of_condemning()
    {
        var m = Create(limit: 2);
        m.Connected(1);
        Assert.False(Step(m, TimeSpan.Zero), "the owner's first call only learns the schedule");
        // The owner itself was paused for many intervals: the peer is not judged on that.
        Assert.True(Step(m, s_interval * 10));
        Assert.Empty(_dead);
        Assert.Equal(TimeSpan.Zero, m.Silence(1));
        Assert.Equal(new uint[] { 1 }, _keepalives);
        // From then on the normal deadline applies.
        Assert.Equal(new[] { (s_interval * 2, 1u) }, RunFor(m, s_interval * 3));
    }

    [Fact]
    public void Tunable_changes_apply_at_once()
    {
        var m = Create(limit: 5);
        m.Connected(1);
        Step(m, TimeSpan.FromSeconds(1));
        m.Interval = TimeSpan.FromSeconds(1);
        Assert.Equal(TimeSpan.Zero, m.DueIn);
        m.Received(1);
        Assert.True(Step(m, TimeSpan.Zero));
        m.Limit = 1;
        Assert.True(Step(m, TimeSpan.FromSeconds(1)));
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
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Silence(7));
        // Packets on the hot path from an out-of-range number are ignored rather than thrown on.
        m.Received(9);
        m.Sent(9);
        Assert.Throws<ArgumentOutOfRangeException>(() => new KeepaliveMonitor(-1, _time));
    }
}
