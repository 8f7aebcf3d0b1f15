// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Heartbeat;

/// <summary>
/// Keepalive bookkeeping for the links to the other nodes, as CTDB does it: once per
/// <see cref="Interval"/> every watched (connected) node that received nothing from us in that
/// interval needs a keepalive, and a node from which nothing at all arrived for
/// <see cref="Limit"/> consecutive intervals is dead. Any packet counts as a sign of life.
/// </summary>
/// <remarks>
/// No I/O and no timers of its own: the owner asks <see cref="DueIn"/> when to call
/// <see cref="Check"/> and acts on the answer. A check that runs late still counts as one
/// interval, so a daemon that was itself paused does not condemn its peers for its own pause
/// before it has read what they sent meanwhile. Not thread-safe: one thread owns it.
/// </remarks>
public sealed class KeepaliveMonitor
{
    private readonly TimeProvider _time;
    private readonly NodeState[] _nodes;
    private long _lastCheck;
    private TimeSpan _interval = TimeSpan.FromSeconds(5);
    private int _limit = 5;

    public KeepaliveMonitor(int nodeCount, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nodeCount);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _nodes = new NodeState[nodeCount];
        _lastCheck = time.GetTimestamp();
    }

    /// <summary>Length of one interval (tunable KeepaliveInterval); at least one millisecond.</summary>
    public TimeSpan Interval
    {
        get => _interval;
        set => _interval = value < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : value;
    }

    /// <summary>Silent intervals after which a node is dead (tunable KeepaliveLimit); at least 1.</summary>
    public int Limit
    {
        get => _limit;
        set => _limit = Math.Max(1, value);
    }

    public int NodeCount => _nodes.Length;

    /// <summary>Time left until <see cref="Check"/> evaluates the current interval (zero when due).</summary>
    public TimeSpan DueIn
    {
        get
        {
            var left = _interval - _time.GetElapsedTime(_lastCheck);
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    /// <summary>Starts watching a node whose link just came up; the connection itself counts as life.</summary>
    public void Connected(uint pnn)
    {
        ref var n = ref _nodes[Index(pnn)];
        n = new NodeState { Watched = true, Heard = true };
    }

    /// <summary>Stops watching a node (its link is down); nothing is reported for it until it connects again.</summary>
    public void Disconnected(uint pnn) => _nodes[Index(pnn)] = default;

    /// <summary>A packet arrived from the node. Called for every packet: keep it cheap.</summary>
    public void Received(uint pnn)
    {
        if (pnn < (uint)_nodes.Length)
        {
            _nodes[pnn].Heard = true;
        }
    }

    /// <summary>
    /// A packet went to the node, so it needs no keepalive this interval. Not for the keepalives
    /// <see cref="Check"/> asked for: they belong to the interval just closed.
    /// </summary>
    public void Sent(uint pnn)
    {
        if (pnn < (uint)_nodes.Length)
        {
            _nodes[pnn].Spoke = true;
        }
    }

    public bool IsWatched(uint pnn) => _nodes[Index(pnn)].Watched;

    /// <summary>Consecutive completed intervals in which nothing arrived from the node.</summary>
    public int SilentIntervals(uint pnn) => _nodes[Index(pnn)].Silent;

    /// <summary>
    /// When an interval has passed, closes it: adds to <paramref name="keepalives"/> the watched
    /// nodes that need a keepalive and to <paramref name="dead"/> the nodes that stayed silent
    /// for <see cref="Limit"/> intervals (no longer watched from now on), and returns true.
    /// Returns false, touching nothing, before the interval is over.
    /// </summary>
    public bool Check(List<uint> keepalives, List<uint> dead)
    {
        ArgumentNullException.ThrowIfNull(keepalives);
        ArgumentNullException.ThrowIfNull(dead);
        if (DueIn > TimeSpan.Zero)
        {
            return false;
        }
        _lastCheck = _time.GetTimestamp();
        for (int i = 0; i < _nodes.Length; i++)
        {
            ref var n = ref _nodes[i];
            if (!n.Watched)
            {
                continue;
            }
            n.Silent = n.Heard ? 0 : n.Silent + 1;
            n.Heard = false;
            if (n.Silent >= _limit)
            {
                n = default;
                dead.Add((uint)i);
                continue;
            }
            if (!n.Spoke)
            {
                keepalives.Add((uint)i);
            }
            n.Spoke = false;
        }
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
        /// <summary>Something arrived in the current interval.</summary>
        public bool Heard;
        /// <summary>Something was sent in the current interval.</summary>
        public bool Spoke;
        public int Silent;
    }
}
