// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Heartbeat;

/// <summary>
/// Keepalive bookkeeping for the links to the other nodes: once per <see cref="Interval"/>
/// every watched (connected) node to which nothing was sent in that interval needs a
/// keepalive, and a node from which nothing at all arrived for <see cref="Limit"/> ×
/// <see cref="Interval"/> is dead. Any packet counts as a sign of life.
/// </summary>
/// <remarks>
/// No I/O and no timers of its own: the owner asks <see cref="DueIn"/> when to call
/// <see cref="Check"/> and acts on the answer. Death is judged on the time since the last
/// packet, so a node that stops is declared dead at most Limit × Interval after its last
/// packet. A check that comes more than half an interval later than it was due means this
/// daemon itself was paused: the silence clocks restart instead of condemning peers whose
/// packets are still unread. Not thread-safe: one thread owns it.
/// </remarks>
public sealed class KeepaliveMonitor
{
    private readonly TimeProvider _time;
    private readonly NodeState[] _nodes;
    private long _lastRound;
    /// <summary>When the owner should call <see cref="Check"/> next, as last told; 0 before the first call.</summary>
    private long _nextCall;
    private TimeSpan _interval = TimeSpan.FromSeconds(5);
    private int _limit = 5;

    public KeepaliveMonitor(int nodeCount, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nodeCount);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _nodes = new NodeState[nodeCount];
        _lastRound = time.GetTimestamp();
    }

    /// <summary>Length of one interval (tunable KeepaliveInterval); at least one millisecond.</summary>
    public TimeSpan Interval
    {
        get => _interval;
        set => _interval = value < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : value;
    }

    /// <summary>Intervals of silence after which a node is dead (tunable KeepaliveLimit); at least 1.</summary>
    public int Limit
    {
        get => _limit;
        set => _limit = Math.Max(1, value);
    }

    public int NodeCount => _nodes.Length;

    private TimeSpan DeadAfter => _interval * _limit;

    /// <summary>Time left until <see cref="Check"/> has something to do: a keepalive round or a node's deadline.</summary>
    public TimeSpan DueIn
    {
        get
        {
            var left = _interval - _time.GetElapsedTime(_lastRound);
            var deadAfter = DeadAfter;
            for (int i = 0; i < _nodes.Length; i++)
            {
                if (_nodes[i].Watched)
                {
                    var untilDead = deadAfter - _time.GetElapsedTime(_nodes[i].LastHeard);
                    if (untilDead < left)
                    {
                        left = untilDead;
                    }
                }
            }
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    /// <summary>Starts watching a node whose link just came up; the connection itself counts as life.</summary>
    public void Connected(uint pnn) =>
        _nodes[Index(pnn)] = new NodeState { Watched = true, LastHeard = _time.GetTimestamp() };

    /// <summary>Stops watching a node (its link is down); nothing is reported for it until it connects again.</summary>
    public void Disconnected(uint pnn) => _nodes[Index(pnn)] = default;

    /// <summary>A packet arrived from the node. Called for every packet: keep it cheap.</summary>
    public void Received(uint pnn)
    {
        if (pnn < (uint)_nodes.Length && _nodes[pnn].Watched)
        {
            _nodes[pnn].LastHeard = _time.GetTimestamp();
        }
    }

    /// <summary>
    /// A packet went to the node, so it needs no keepalive this interval. Not for the keepalives
    /// <see cref="Check"/> asked for: they belong to the round just closed.
    /// </summary>
    public void Sent(uint pnn)
    {
        if (pnn < (uint)_nodes.Length)
        {
            _nodes[pnn].Spoke = true;
        }
    }

    public bool IsWatched(uint pnn) => _nodes[Index(pnn)].Watched;

    /// <summary>How long nothing has arrived from a watched node (zero when not watched).</summary>
    public TimeSpan Silence(uint pnn)
    {
        ref var n = ref _nodes[Index(pnn)];
        return n.Watched ? _time.GetElapsedTime(n.LastHeard) : TimeSpan.Zero;
    }

    /// <summary>
    /// When something is due: adds to <paramref name="dead"/> the nodes silent for
    /// Limit × Interval (no longer watched from now on) and, when a keepalive round is due, to
    /// <paramref name="keepalives"/> the watched nodes that were sent nothing in the round; returns
    /// true. Returns false, touching nothing, when nothing is due yet.
    /// </summary>
    public bool Check(List<uint> keepalives, List<uint> dead)
    {
        ArgumentNullException.ThrowIfNull(keepalives);
        ArgumentNullException.ThrowIfNull(dead);
        long now = _time.GetTimestamp();
        bool paused = _nextCall != 0 && _time.GetElapsedTime(_nextCall, now) > _interval / 2;
        var dueIn = DueIn;
        _nextCall = now + (long)(dueIn.TotalSeconds * _time.TimestampFrequency);
        if (dueIn > TimeSpan.Zero)
        {
            return false;
        }
        var deadAfter = DeadAfter;
        bool round = _time.GetElapsedTime(_lastRound, now) >= _interval;
        for (int i = 0; i < _nodes.Length; i++)
        {
            ref var n = ref _nodes[i];
            if (!n.Watched)
            {
                continue;
            }
            if (paused)
            {
                n.LastHeard = now;
            }
            else if (_time.GetElapsedTime(n.LastHeard, now) >= deadAfter)
            {
                n = default;
                dead.Add((uint)i);
                continue;
            }
            if (round)
            {
                if (!n.Spoke)
                {
                    keepalives.Add((uint)i);
                }
                n.Spoke = false;
            }
        }
        if (round)
        {
            _lastRound = now;
        }
        _nextCall = now + (long)(DueIn.TotalSeconds * _time.TimestampFrequency);
        return true;
    }

    private int Index(uint pnn)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(pnn, (uint)_nodes.Length);
        return (int)pnn;
    }

    private struct NodeState
    {
        public bool Watched;
        /// <summary>Something was sent in the current round.</summary>
        public bool Spoke;
        /// <summary>Timestamp of the last packet from the node (or of the link coming up).</summary>
        public long LastHeard;
    }
}
