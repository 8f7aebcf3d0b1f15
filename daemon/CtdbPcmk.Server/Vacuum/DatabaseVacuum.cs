// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Databases;

namespace CtdbPcmk.Server.Vacuum;

/// <summary>
/// The vacuuming state of one volatile database: the records queued for deletion (with the
/// header they had when queued), the keys other nodes asked this node, their lmaster, to take
/// back, the count of fast runs since the last full one, and what the runs did.
/// </summary>
internal sealed class DatabaseVacuum
{
    private Dictionary<byte[], LtdbHeader> _deleteQueue = new(ByteArrayComparer.Instance);
    private HashSet<byte[]> _fetchQueue = new(ByteArrayComparer.Instance);

    /// <summary>Fast runs since the last full one.</summary>
    public int FastRuns { get; set; }

    /// <summary>A run of this database is under way.</summary>
    public bool Running { get; set; }

    /// <summary>Counts of every run so far.</summary>
    public VacuumCounts Totals { get; } = new();

    public int Queued => _deleteQueue.Count;

    /// <summary>
    /// Most records either queue holds (a client or node cannot make the daemon keep more);
    /// records left out are found by the next full run.
    /// </summary>
    public const int MaxQueued = 1_000_000;

    /// <summary>Queues a record for deletion; the same key again replaces the header it was queued with. False when the queue is full.</summary>
    public bool QueueDeletion(byte[] key, LtdbHeader header)
    {
        if (_deleteQueue.Count >= MaxQueued && !_deleteQueue.ContainsKey(key))
        {
            return false;
        }
        _deleteQueue[key] = header;
        return true;
    }

    /// <summary>Queues a key this node, its lmaster, is to take back and delete. False when the queue is full.</summary>
    public bool QueueFetch(byte[] key)
    {
        if (_fetchQueue.Count >= MaxQueued)
        {
            return false;
        }
        _fetchQueue.Add(key);
        return true;
    }

    /// <summary>Hands over the queues to a run; what is queued from now on goes to the next run.</summary>
    public (Dictionary<byte[], LtdbHeader> Delete, HashSet<byte[]> Fetch) TakeQueues()
    {
        var taken = (_deleteQueue, _fetchQueue);
        _deleteQueue = new(ByteArrayComparer.Instance);
        _fetchQueue = new(ByteArrayComparer.Instance);
        return taken;
    }
}
