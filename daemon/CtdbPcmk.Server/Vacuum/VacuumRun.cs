// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Calls;
using CtdbPcmk.Server.Cluster;
using CtdbPcmk.Server.Databases;
using CtdbPcmk.Transport;

namespace CtdbPcmk.Server.Vacuum;

/// <summary>
/// One vacuum run of one volatile database, on the loop thread. In order: a full run first
/// looks through the whole file for empty records this node masters; the keys other nodes sent
/// this node, their lmaster, are migrated here; then every queued record that is still empty,
/// still mastered here and unchanged since it was queued is
/// <list type="bullet">
/// <item>sent to its lmaster (VACUUM_FETCH) when this node is not the lmaster;</item>
/// <item>deleted at once when this node is the lmaster and the record never left with data
///   (no other node can hold a copy);</item>
/// <item>otherwise deleted on every other active node first (TRY_DELETE_RECORDS) and, once all
///   of them have, here. A record any node refused stays, and so does every record of the run
///   when a node could not be asked.</item>
/// </list>
/// Every step reads the record again under its chain lock, so a record filled again meanwhile
/// is never deleted. Last, the file is repacked when its free list has reached RepackLimit.
/// </summary>
internal sealed class VacuumRun(ClusterState cluster, CtdbDatabase db, DatabaseVacuum state, NodeLinks links,
    CallEngine calls, Func<bool> halted, TunableSettings tunables, EventLoop loop, Serilog.ILogger log)
{
    private byte[] _record = new byte[256];

    /// <summary>Records this node is the lmaster of, to be deleted on every node (queued again if the run halts).</summary>
    private readonly List<(byte[] Key, LtdbHeader Header)> _deleteList = [];

    public VacuumCounts Counts { get; } = new() { Runs = 1 };

    /// <summary>
    /// Runs the steps; the run ends early once <paramref name="deadline"/> (loop time) has
    /// passed, and at once when a recovery starts or the database is frozen (what is left is
    /// queued again).
    /// </summary>
    public async Task RunAsync(bool full, long deadline)
    {
        var (queue, fetch) = state.TakeQueues();
        try
        {
            await StepsAsync(queue, fetch, full, deadline);
        }
        catch (VacuumHaltedException)
        {
            foreach (var (key, header) in queue.Concat(_deleteList.Select(r => new KeyValuePair<byte[], LtdbHeader>(r.Key, r.Header))))
            {
                state.QueueDeletion(key, header);
            }
            log.Debug("Vacuuming {Db} halted: recovery or freeze", db.Name);
        }
    }

    private async Task StepsAsync(Dictionary<byte[], LtdbHeader> queue, HashSet<byte[]> fetch, bool full, long deadline)
    {
        if (full)
        {
            Counts.FullRuns = 1;
            FindEmptyRecords(queue);
        }
        if (fetch.Count != 0)
        {
            await TakeBackAsync(fetch, deadline);
        }
        var toLmaster = new Dictionary<uint, List<byte[]>>();
        var deleteList = _deleteList;
        CheckNotHalted();
        Sort(queue, toLmaster, deleteList);
        queue.Clear();
        foreach (var (lmaster, keys) in toLmaster)
        {
            await SendToLmasterAsync(lmaster, keys);
        }
        if (deleteList.Count != 0 && loop.Now < deadline)
        {
            await DeleteEverywhereAsync(deleteList);
        }
        Repack();
    }

    /// <summary>Full run: every empty record this node masters joins the queue.</summary>
    private void FindEmptyRecords(Dictionary<byte[], LtdbHeader> queue)
    {
        uint pnn = cluster.Pnn;
        db.File.TraverseRead((key, value) =>
        {
            if (value.Length == LtdbHeader.Size)
            {
                var header = LtdbHeader.Read(value);
                if (header.Dmaster == pnn)
                {
                    queue.TryAdd(key.ToArray(), header);
                }
            }
            return true;
        });
    }

    /// <summary>Migrates here the records other nodes sent this node, their lmaster; each that arrives empty is queued for the next run.</summary>
    private async Task TakeBackAsync(HashSet<byte[]> keys, long deadline)
    {
        var waits = new List<Task>();
        foreach (var key in keys)
        {
            if (!db.File.TryChainLock(key))
            {
                state.QueueFetch(key);
                continue;
            }
            LtdbHeader? header;
            try
            {
                header = Read(key, out _);
            }
            finally
            {
                db.File.ChainUnlock(key);
            }
            if (header is not { } h || h.Dmaster == cluster.Pnn)
            {
                continue;
            }
            var done = new TaskCompletionSource<bool>();
            calls.MigrateHere(db, key, ok =>
            {
                if (ok)
                {
                    Counts.Fetched++;
                    QueueIfEmpty(key);
                }
                done.TrySetResult(ok);
            });
            waits.Add(done.Task);
        }
        if (waits.Count == 0)
        {
            return;
        }
        var all = Task.WhenAll(waits);
        double seconds = Math.Max(0, (double)(deadline - loop.Now) / loop.Time.TimestampFrequency);
        var timeout = new TaskCompletionSource();
        var timer = loop.AddTimer(TimeSpan.FromSeconds(seconds), () => timeout.TrySetResult());
        await Task.WhenAny(all, timeout.Task);
        timer.Cancel();
    }

    /// <summary>A record that migrated here empty waits in the queue for the next run (as the other nodes' copies may still exist).</summary>
    private void QueueIfEmpty(byte[] key)
    {
        if (!db.File.TryChainLock(key))
        {
            return;
        }
        try
        {
            if (Read(key, out int valueLength) is { } h && valueLength == 0 && h.Dmaster == cluster.Pnn)
            {
                state.QueueDeletion(key, h);
            }
        }
        finally
        {
            db.File.ChainUnlock(key);
        }
    }

    /// <summary>Checks every queued record again and sorts it: to its lmaster, to delete everywhere, or deleted now.</summary>
    private void Sort(Dictionary<byte[], LtdbHeader> queue, Dictionary<uint, List<byte[]>> toLmaster,
        List<(byte[] Key, LtdbHeader Header)> deleteList)
    {
        uint pnn = cluster.Pnn;
        foreach (var (key, queued) in queue)
        {
            Counts.Examined++;
            if (!db.File.TryChainLock(key))
            {
                // Busy now; the next run looks again.
                state.QueueDeletion(key, queued);
                Counts.Skipped++;
                continue;
            }
            try
            {
                if (Read(key, out int valueLength) is not { } h || valueLength != 0 || h.Dmaster != pnn || h.Rsn != queued.Rsn
                    || (h.Flags & LtdbHeader.FlagRoMask) != 0)
                {
                    Counts.Skipped++;
                    continue;
                }
                uint lmaster = cluster.Lmaster(key);
                if (lmaster != pnn)
                {
                    if (!toLmaster.TryGetValue(lmaster, out var keys))
                    {
                        toLmaster[lmaster] = keys = [];
                    }
                    keys.Add(key);
                }
                else if ((queued.Flags & LtdbHeader.FlagMigratedWithData) != 0)
                {
                    deleteList.Add((key, queued));
                }
                else
                {
                    // Never left this node with data: no other node holds a copy that matters.
                    db.File.Delete(key);
                    Counts.Deleted++;
                }
            }
            finally
            {
                db.File.ChainUnlock(key);
            }
        }
    }

    private async Task SendToLmasterAsync(uint lmaster, List<byte[]> keys)
    {
        foreach (var chunk in Chunks(keys.Select(k => (k, (LtdbHeader?)null)), cluster.Pnn))
        {
            var reply = await ControlAsync(lmaster, ControlOpcode.VacuumFetch, chunk.Data);
            if (reply.Status != 0)
            {
                log.Warning("VACUUM_FETCH of {Count} records of {Db} to node {Pnn} failed: {Error}", chunk.Count, db.Name, lmaster,
                    reply.Error ?? reply.Status.ToString(System.Globalization.CultureInfo.InvariantCulture));
                continue;
            }
            Counts.SentToLmaster += chunk.Count;
        }
    }

    /// <summary>
    /// Asks every other active node to delete its copies, then deletes here the records none
    /// of them refused (after checking each again under its chain lock).
    /// </summary>
    private async Task DeleteEverywhereAsync(List<(byte[] Key, LtdbHeader Header)> deleteList)
    {
        var refused = new HashSet<byte[]>(ByteArrayComparer.Instance);
        foreach (uint pnn in cluster.ActiveNodes())
        {
            if (pnn == cluster.Pnn)
            {
                continue;
            }
            foreach (var chunk in Chunks(deleteList.Select(r => (r.Key, (LtdbHeader?)r.Header)), db.Id))
            {
                var reply = await ControlAsync(pnn, ControlOpcode.TryDeleteRecords, chunk.Data);
                if (reply.Status != 0 || reply.Data is null)
                {
                    log.Information("Vacuuming {Db}: node {Pnn} could not be asked to delete {Count} records ({Error}); they stay",
                        db.Name, pnn, deleteList.Count, reply.Error ?? reply.Status.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    Counts.Skipped += deleteList.Count;
                    return;
                }
                foreach (var r in RecBuffer.Read(reply.Data))
                {
                    refused.Add(r.Key.ToArray());
                }
            }
        }
        CheckNotHalted();
        uint self = cluster.Pnn;
        foreach (var (key, queued) in deleteList)
        {
            if (refused.Contains(key))
            {
                Counts.RemoteRefused++;
                continue;
            }
            if (!db.File.TryChainLock(key))
            {
                state.QueueDeletion(key, queued);
                Counts.Skipped++;
                continue;
            }
            try
            {
                if (Read(key, out int valueLength) is { } h && valueLength == 0 && h.Dmaster == self && h.Rsn == queued.Rsn
                    && (h.Flags & LtdbHeader.FlagRoMask) == 0 && cluster.Lmaster(key) == self)
                {
                    db.File.Delete(key);
                    Counts.Deleted++;
                }
                else
                {
                    Counts.Skipped++;
                }
            }
            finally
            {
                db.File.ChainUnlock(key);
            }
        }
    }

    private void CheckNotHalted()
    {
        if (halted())
        {
            throw new VacuumHaltedException();
        }
    }

    private void Repack()
    {
        CheckNotHalted();
        uint limit = tunables.Get("RepackLimit");
        if (limit == 0)
        {
            return;
        }
        int free = db.File.FreelistSize;
        if (free < 0 || (uint)free < limit)
        {
            return;
        }
        log.Information("Repacking {Db} with {Free} free-list entries", db.Name, free);
        db.File.Repack();
        Counts.Repacks++;
    }

    /// <summary>The record's header (null when there is none) and its value's length in <paramref name="valueLength"/>; chain lock held.</summary>
    private LtdbHeader? Read(byte[] key, out int valueLength)
    {
        int len = db.File.FetchInto(key, ref _record);
        valueLength = len - LtdbHeader.Size;
        return len >= LtdbHeader.Size ? LtdbHeader.Read(_record) : null;
    }

    private Task<Controls.ControlReply> ControlAsync(uint pnn, ControlOpcode opcode, byte[] data)
    {
        var done = new TaskCompletionSource<Controls.ControlReply>();
        links.SendControl(pnn, opcode, 0, data, r => done.TrySetResult(r));
        return done.Task;
    }

    /// <summary>
    /// Rec buffers of at most <see cref="ChunkBytes"/> each: keys alone (VACUUM_FETCH), or keys
    /// with the header they were queued with (TRY_DELETE_RECORDS).
    /// </summary>
    private List<(byte[] Data, int Count)> Chunks(IEnumerable<(byte[] Key, LtdbHeader? Header)> records, uint reqId)
    {
        var chunks = new List<(byte[] Data, int Count)>();
        var buffer = new byte[ChunkBytes];
        var w = new RecBufferWriter(buffer, db.Id);
        foreach (var (key, header) in records)
        {
            if (TryAdd(ref w, reqId, key, header))
            {
                continue;
            }
            if (w.Count == 0)
            {
                throw new InvalidOperationException($"a key of {key.Length} bytes does not fit a rec buffer");
            }
            chunks.Add((w.Written.ToArray(), w.Count));
            w = new RecBufferWriter(buffer, db.Id);
            if (!TryAdd(ref w, reqId, key, header))
            {
                throw new InvalidOperationException($"a key of {key.Length} bytes does not fit a rec buffer");
            }
        }
        if (w.Count != 0)
        {
            chunks.Add((w.Written.ToArray(), w.Count));
        }
        return chunks;
    }

    private static bool TryAdd(ref RecBufferWriter w, uint reqId, byte[] key, LtdbHeader? header) =>
        header is { } h ? w.TryAdd(reqId, key, h, default) : w.TryAdd(reqId, key, default(ReadOnlySpan<byte>));

    /// <summary>Largest rec buffer one control carries.</summary>
    private const int ChunkBytes = 256 * 1024;
}
