// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Databases;

namespace CtdbPcmk.Server;

public sealed partial class Daemon
{
    private readonly Dictionary<uint, HashSet<byte[]>> _vacuumQueue = new();
    private bool _vacuumScheduled;

    /// <summary>Queues a deleted (empty) volatile record for removal at the next vacuum run.</summary>
    private void ScheduleVacuum(CtdbDatabase db, byte[] key)
    {
        if (!_vacuumQueue.TryGetValue(db.Id, out var keys))
        {
            keys = new HashSet<byte[]>(ByteArrayComparer.Instance);
            _vacuumQueue[db.Id] = keys;
        }
        keys.Add(key);
        if (!_vacuumScheduled)
        {
            _vacuumScheduled = true;
            _loop.AddTimer(TimeSpan.FromSeconds(Math.Max(1u, Tunable("VacuumInterval"))), Vacuum);
        }
    }

    /// <summary>
    /// Removes queued empty records this node both masters and is lmaster of, when no other
    /// node can hold a copy (this node is the whole vnn map). Records that are busy or have
    /// been filled again are left alone.
    /// </summary>
    private void Vacuum()
    {
        _vacuumScheduled = false;
        if (_cluster.VnnMap.Map.Count != 1 || _cluster.RecoveryMode == RecoveryMode.Active)
        {
            _vacuumQueue.Clear();
            return;
        }
        byte[] buffer = new byte[256];
        foreach (var (dbId, keys) in _vacuumQueue)
        {
            if (!_databases.TryGet(dbId, out var db))
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
                    if (len == LtdbHeader.Size && LtdbHeader.Read(buffer).Dmaster == _cluster.Pnn)
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
        _vacuumQueue.Clear();
    }
}
