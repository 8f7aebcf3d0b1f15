// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Conntrack.Tracker;

/// <summary>
/// The connections the tracker knows to be open (source = client, destination = public address,
/// as the daemon's lists hold them) and the changes not yet written to the daemon. Both are
/// bounded: past <see cref="Limit"/> open connections the oldest are forgotten (and removed from
/// the daemon's list with the next commit); past that many
/// unwritten changes they are dropped and the daemon is brought up to date from the whole table
/// instead (<see cref="NeedsResync"/>). A connection opened and closed between two commits is
/// never written.
/// </summary>
internal sealed class ConnectionTable(int limit)
{
    // Insertion order for eviction: a queue of (connection, stamp) where only the entry whose
    // stamp matches the live one counts; closed connections leave stale entries behind, dropped
    // when they reach the head or when the queue is compacted.
    private readonly Dictionary<CtdbConnection, long> _open = new();
    private readonly Queue<(CtdbConnection Connection, long Stamp)> _age = new();
    private readonly Dictionary<CtdbConnection, bool> _pending = new();
    private long _stamp;

    public int Limit { get; } = limit;

    public int Count => _open.Count;

    public int PendingCount => _pending.Count;

    /// <summary>Open connections forgotten because of the limit, since the last <see cref="TakeForgotten"/>.</summary>
    public long Forgotten { get; private set; }

    /// <summary>Set when unwritten changes overflowed: the daemon must get the whole table again.</summary>
    public bool NeedsResync { get; set; }

    public bool Contains(CtdbConnection connection) => _open.ContainsKey(connection);

    /// <summary>A connection opened; false when it was known already.</summary>
    public bool Open(CtdbConnection connection)
    {
        if (_open.ContainsKey(connection))
        {
            return false;
        }
        while (_open.Count >= Limit)
        {
            EvictOldest();
        }
        long stamp = ++_stamp;
        _open.Add(connection, stamp);
        _age.Enqueue((connection, stamp));
        Change(connection, added: true);
        return true;
    }

    /// <summary>A connection closed; false when it was not known open (then nothing is written).</summary>
    public bool Close(CtdbConnection connection)
    {
        if (!_open.Remove(connection))
        {
            return false;
        }
        Change(connection, added: false);
        if (_age.Count > 1024 && _age.Count > 2 * _open.Count)
        {
            Compact();
        }
        return true;
    }

    /// <summary>Forgets every connection to <paramref name="address"/> without writing anything (the address moved away).</summary>
    public int Forget(IPAddress address)
    {
        var gone = _open.Keys.Where(c => c.Destination.Address.Equals(address)).ToList();
        foreach (var c in gone)
        {
            _open.Remove(c);
            _pending.Remove(c);
        }
        return gone.Count;
    }

    /// <summary>The open connections to <paramref name="address"/>.</summary>
    public List<CtdbConnection> To(IPAddress address) =>
        _open.Keys.Where(c => c.Destination.Address.Equals(address)).ToList();

    /// <summary>Takes the unwritten changes (added connections first), leaving none.</summary>
    public List<TcpChange> TakePending()
    {
        var changes = new List<TcpChange>(_pending.Count);
        foreach (var (connection, added) in _pending)
        {
            changes.Add(new TcpChange(connection, added));
        }
        _pending.Clear();
        return changes;
    }

    /// <summary>Drops the unwritten changes (the daemon is gone; it gets the whole table when back).</summary>
    public void DropPending() => _pending.Clear();

    /// <summary>The count of forgotten connections since the last call, for one log line.</summary>
    public long TakeForgotten()
    {
        long n = Forgotten;
        Forgotten = 0;
        return n;
    }

    private void Change(CtdbConnection connection, bool added)
    {
        if (_pending.TryGetValue(connection, out bool wasAdded) && wasAdded != added)
        {
            // Opened and closed (or closed and reopened) within one interval: nothing to write.
            _pending.Remove(connection);
            return;
        }
        _pending[connection] = added;
        if (_pending.Count > Limit)
        {
            _pending.Clear();
            NeedsResync = true;
        }
    }

    private void EvictOldest()
    {
        while (_age.TryDequeue(out var oldest))
        {
            if (_open.TryGetValue(oldest.Connection, out long stamp) && stamp == oldest.Stamp)
            {
                _open.Remove(oldest.Connection);
                // Out of the daemon's list too (or never written): its close will not be seen here.
                Change(oldest.Connection, added: false);
                Forgotten++;
                return;
            }
        }
    }

    private void Compact()
    {
        int n = _age.Count;
        for (int i = 0; i < n; i++)
        {
            var item = _age.Dequeue();
            if (_open.TryGetValue(item.Connection, out long stamp) && stamp == item.Stamp)
            {
                _age.Enqueue(item);
            }
        }
    }
}
