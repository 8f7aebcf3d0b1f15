// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Cluster;
using CtdbPcmk.Transport;

namespace CtdbPcmk.Server.Databases;

/// <summary>
/// Deleted (empty) volatile records queued by SCHEDULE_FOR_DELETION, removed at the next
/// vacuum run when no other node can hold a copy.
/// </summary>
internal sealed class VacuumQueue(ClusterState cluster, DatabaseRegistry databases, TunableSettings tunables,
    EventLoop loop)
{
    private readonly Dictionary<uint, HashSet<byte[]>> _queue = new();
    private bool _scheduled;

    /// <summary>Queues a deleted (empty) volatile record for removal at the next vacuum run.</summary>
    public void Schedule(CtdbDatabase db, byte[] key)
    {
        if (!_queue.TryGetValue(db.Id, out var keys))
        {
            keys = new HashSet<byte[]>(ByteArrayComparer.Instance);
            _queue[db.Id] = keys;
        }
        keys.Add(key);
        if (!_scheduled)
        {
            _scheduled = true;
            loop.AddTimer(TimeSpan.FromSeconds(Math.Max(1u, tunables.Get("VacuumInterval"))), Run);
        }
    }

    /// <summary>
    /// Removes queued empty records this node both masters and is lmaster of, when no other
    /// node can hold a copy (this node is the whole vnn map). Records that are busy or have
    /// been filled again are left alone.
    /// </summary>
    private void Run()
    {
        _scheduled = false;
        if (cluster.VnnMap.Map.Count != 1 || cluster.RecoveryMode == RecoveryMode.Active)
        {
            _queue.Clear();
            return;
        }
        byte[] buffer = new byte[256];
        foreach (var (dbId, keys) in _queue)
        {
            if (!databases.TryGet(dbId, out var db))
            {
                continue;
            }
            foreach (var key in keys)
            {
                if (!db.File.TryChainLock(key))
                {
                    continue;
                }
                try
                {
                    int len = db.File.FetchInto(key, ref buffer);
                    if (len == LtdbHeader.Size && LtdbHeader.Read(buffer).Dmaster == cluster.Pnn)
                    {
                        db.File.Delete(key);
                    }
                }
                finally
                {
                    db.File.ChainUnlock(key);
                }
            }
        }
        _queue.Clear();
    }
}
