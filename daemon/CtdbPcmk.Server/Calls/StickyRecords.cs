// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Server.Databases;
using CtdbPcmk.Transport;

namespace CtdbPcmk.Server.Calls;

/// <summary>
/// Sticky records of the databases SET_DB_STICKY marked, as ctdbd keeps them. A call that
/// reaches the record's dmaster after HopcountMakeSticky redirects makes the record sticky on
/// that node for StickyDuration seconds; whenever the record migrates to that node meanwhile it
/// is pinned there for StickyPindown milliseconds: other nodes' calls for it wait until the pin
/// ends, so a record many nodes fight over is used where it arrived before it moves on. This
/// node's own clients are not held. Loop thread only.
/// </summary>
internal sealed class StickyRecords(TunableSettings tunables, EventLoop loop)
{
    private readonly Dictionary<uint, Dictionary<byte[], Entry>> _records = new();

    private sealed class Entry
    {
        public LoopTimer? Pin { get; set; }
        public List<Action> Held { get; } = [];
    }

    /// <summary>Sticky records of the database now (for tests and the log).</summary>
    public int Count(uint dbId) => _records.TryGetValue(dbId, out var byKey) ? byKey.Count : 0;

    /// <summary>A call reached this node, the dmaster, after <paramref name="hopCount"/> redirects.</summary>
    public void CallServed(CtdbDatabase db, ReadOnlySpan<byte> key, uint hopCount)
    {
        if (!db.IsSticky || hopCount < tunables.Get("HopcountMakeSticky"))
        {
            return;
        }
        if (!_records.TryGetValue(db.Id, out var byKey))
        {
            byKey = new Dictionary<byte[], Entry>(ByteArrayComparer.Instance);
            _records[db.Id] = byKey;
        }
        byte[] k = key.ToArray();
        if (byKey.ContainsKey(k))
        {
            return;
        }
        var entry = new Entry();
        byKey[k] = entry;
        loop.AddTimer(TimeSpan.FromSeconds(tunables.Get("StickyDuration")), () =>
        {
            if (byKey.TryGetValue(k, out var current) && ReferenceEquals(current, entry))
            {
                byKey.Remove(k);
                entry.Pin?.Cancel();
                Release(entry);
            }
        });
    }

    /// <summary>The record migrated here: a sticky one is pinned for StickyPindown ms.</summary>
    public void Arrived(CtdbDatabase db, ReadOnlySpan<byte> key)
    {
        if (!db.IsSticky || !_records.TryGetValue(db.Id, out var byKey) || !byKey.TryGetValue(key.ToArray(), out var entry) || entry.Pin is not null)
        {
            return;
        }
        entry.Pin = loop.AddTimer(TimeSpan.FromMilliseconds(tunables.Get("StickyPindown")), () =>
        {
            entry.Pin = null;
            Release(entry);
        });
    }

    /// <summary>Holds another node's call while the record is pinned here; false when it is not.</summary>
    public bool HoldIfPinned(CtdbDatabase db, ReadOnlySpan<byte> key, Action retry)
    {
        if (!db.IsSticky || !_records.TryGetValue(db.Id, out var byKey) || !byKey.TryGetValue(key.ToArray(), out var entry) || entry.Pin is null)
        {
            return false;
        }
        entry.Held.Add(retry);
        return true;
    }

    private void Release(Entry entry)
    {
        foreach (var retry in entry.Held)
        {
            loop.Post(retry);
        }
        entry.Held.Clear();
    }
}
