// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Databases;

namespace CtdbPcmk.Server.Statistics;

/// <summary>
/// What GET_DB_STATISTICS reports of one database, counted as ctdbd counts it: record locks the
/// daemon had to wait for (a call finding its chain locked, by smbd or another client; calls,
/// waiting now, given up, latency and its buckets), the vacuum runs' latency, the hop count of
/// each call served at its dmaster, and the ten hot keys: for each key, the most times it
/// migrated to this node within one second, the ten highest kept (never decaying) in
/// ascending order. Read-only delegations and revokes are counted by <see cref="Calls.ReadonlyDelegations"/>.
/// Loop thread only.
/// </summary>
internal sealed class DatabaseStatistics
{
    private readonly Dictionary<byte[], (long WindowStart, uint Count)> _migrations = new(ByteArrayComparer.Instance);
    private readonly List<(byte[] Key, uint Count)> _hot = [];
    private long _lastSweep;

    public DbStatistics Counters { get; private set; } = new();

    /// <summary>A call began waiting for a locked chain.</summary>
    public void LockWaitStarted() => Counters.LockPending++;

    /// <summary>A call that waited for its chain got the lock after <paramref name="seconds"/>.</summary>
    public void LockTaken(double seconds)
    {
        var c = Counters;
        c.LockPending = c.LockPending == 0 ? 0 : c.LockPending - 1;
        c.LockCalls++;
        c.LockLatency = c.LockLatency.Add(seconds);
        c.LockBuckets[LockBucket(seconds)]++;
    }

    /// <summary>A call that waited for its chain was given up (its client went away).</summary>
    public void LockAbandoned()
    {
        var c = Counters;
        c.LockPending = c.LockPending == 0 ? 0 : c.LockPending - 1;
        c.LockCalls++;
        c.LockFailed++;
    }

    public void VacuumRan(double seconds) => Counters.VacuumLatency = Counters.VacuumLatency.Add(seconds);

    /// <summary>A call reached this node as the record's dmaster after <paramref name="hopCount"/> redirects.</summary>
    public void CallServed(uint hopCount)
    {
        int bucket = 0;
        for (uint n = hopCount; n != 0; n >>= 1)
        {
            bucket++;
        }
        Counters.HopCountBuckets[Math.Min(bucket, DbStatistics.Buckets - 1)]++;
    }

    /// <summary>
    /// The record migrated to this node for one of its calls, at loop time <paramref name="now"/>
    /// (<paramref name="frequency"/> ticks a second): counts it in the key's one-second window.
    /// </summary>
    public void Migrated(ReadOnlySpan<byte> key, long now, long frequency)
    {
        byte[] k = key.ToArray();
        uint count = 1;
        if (_migrations.TryGetValue(k, out var w) && now - w.WindowStart < frequency)
        {
            count = w.Count + 1;
            _migrations[k] = (w.WindowStart, count);
        }
        else
        {
            _migrations[k] = (now, 1);
        }
        UpdateHotKeys(k, count);
        if (now - _lastSweep > 10 * frequency)
        {
            _lastSweep = now;
            foreach (var (stale, _) in _migrations.Where(e => now - e.Value.WindowStart > frequency).ToList())
            {
                _migrations.Remove(stale);
            }
        }
    }

    private void UpdateHotKeys(byte[] key, uint count)
    {
        if (_hot.Count == DbStatistics.HotKeySlots && count <= _hot[0].Count)
        {
            return;
        }
        int at = _hot.FindIndex(h => h.Key.AsSpan().SequenceEqual(key));
        if (at >= 0)
        {
            if (count <= _hot[at].Count)
            {
                return;
            }
            _hot[at] = (_hot[at].Key, count);
        }
        else if (_hot.Count < DbStatistics.HotKeySlots)
        {
            _hot.Add((key, count));
        }
        else
        {
            _hot[0] = (key, count);
        }
        _hot.Sort((a, b) => a.Count.CompareTo(b.Count));
    }

    /// <summary>The reply of GET_DB_STATISTICS.</summary>
    public byte[] Encode()
    {
        Counters.HotKeys = [.. _hot.Select(h => new HotKey(h.Count, h.Key))];
        var data = new byte[Counters.EncodedSize];
        Counters.Write(data);
        return data;
    }

    /// <summary>STATISTICS_RESET: every count and the hot keys start again (calls waiting now are no longer counted as pending).</summary>
    public void Reset()
    {
        Counters = new DbStatistics();
        _hot.Clear();
        _migrations.Clear();
    }

    /// <summary>ctdbd's lock-latency buckets: under 1, 10, 100 ms, 1, 2, 4, 8, 16, 32, 64 s, and beyond.</summary>
    public static int LockBucket(double seconds)
    {
        ReadOnlySpan<double> limits = [0.001, 0.01, 0.1, 1, 2, 4, 8, 16, 32, 64];
        for (int i = 0; i < limits.Length; i++)
        {
            if (seconds < limits[i])
            {
                return i;
            }
        }
        return limits.Length;
    }
}
