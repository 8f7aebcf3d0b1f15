// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Cluster;
using CtdbPcmk.Server.Databases;
using CtdbPcmk.Server.Statistics;
using CtdbPcmk.Transport;

namespace CtdbPcmk.Server.Calls;

/// <summary>
/// Read-only delegations of the databases SET_DB_READONLY enabled, as ctdbd grants them. The
/// dmaster answers a read-only fetch from another node with a copy marked RO_HAVE_READONLY
/// (rsn two below its own, which it raised by three and marked RO_HAVE_DELEGATIONS at the first
/// grant) and notes the holder in the database's ".RO" file (a bitmap of pnns per key). A call
/// that would change the record first revokes them all: the dmaster marks the record
/// RO_REVOKING_READONLY, holds the calls for it, sends every holder the record as a plain copy
/// (UPDATE_RECORD, rsn one below its own, MIGRATED_WITH_DATA), then marks it RO_REVOKE_COMPLETE
/// (every holder answered) or drops the revoking mark (one did not, the next call tries again),
/// and lets the held calls go: writers at once, readers a second later. The next call on the
/// record clears the flags. A recovery ends every delegation (its records carry no RO flags).
/// Loop thread only.
/// </summary>
internal sealed class ReadonlyDelegations(ClusterState cluster, NodeLinks links, RecordWriter writer,
    TunableSettings tunables, DaemonStatistics statistics, EventLoop loop, Serilog.ILogger log)
{
    private readonly Dictionary<uint, Dictionary<byte[], Revoke>> _revokes = new();
    private byte[] _record = new byte[256];

    /// <summary>A revoke under way: the calls that wait for it.</summary>
    private sealed class Revoke
    {
        public List<Action> Writers { get; } = [];
        public List<Action> Readers { get; } = [];
    }

    /// <summary>Delegations are granted for this database (SET_DB_READONLY was received).</summary>
    public static bool Enabled(CtdbDatabase db) => db.ReadonlyTracking is not null;

    /// <summary>Holds <paramref name="retry"/> until the revoke of the record ends; false when no revoke is under way.</summary>
    public bool Defer(CtdbDatabase db, ReadOnlySpan<byte> key, bool wantsReadonly, Action retry)
    {
        if (!_revokes.TryGetValue(db.Id, out var byKey) || !byKey.TryGetValue(key.ToArray(), out var revoke))
        {
            return false;
        }
        (wantsReadonly ? revoke.Readers : revoke.Writers).Add(retry);
        return true;
    }

    /// <summary>
    /// The dmaster grants <paramref name="holder"/> a delegation (chain lock held, record in
    /// <paramref name="header"/> and <paramref name="value"/>): returns the header of the copy to send.
    /// </summary>
    public LtdbHeader Grant(CtdbDatabase db, ReadOnlySpan<byte> key, LtdbHeader header, ReadOnlySpan<byte> value, uint holder)
    {
        if ((header.Flags & LtdbHeader.FlagRoHaveDelegations) == 0)
        {
            header.Rsn += 3;
            header.Flags |= LtdbHeader.FlagRoHaveDelegations;
            header = writer.Store(db, key, header, value);
        }
        AddHolder(db, key, holder);
        db.Statistics.Counters.RoDelegations++;
        statistics.Counters.TotalRoDelegations++;
        return header with
        {
            Rsn = header.Rsn - 2,
            Flags = (header.Flags | LtdbHeader.FlagRoHaveReadonly) & ~LtdbHeader.FlagRoHaveDelegations,
        };
    }

    /// <summary>
    /// A call found the record RO_REVOKE_COMPLETE (chain lock held): the flags go, the holders are
    /// forgotten and the revoke counted. Returns the header as stored.
    /// </summary>
    public LtdbHeader Finish(CtdbDatabase db, ReadOnlySpan<byte> key, LtdbHeader header, ReadOnlySpan<byte> value)
    {
        header.Flags &= ~LtdbHeader.FlagRoMask;
        header = writer.Store(db, key, header, value);
        db.ReadonlyTracking?.Delete(key);
        db.Statistics.Counters.RoRevokes++;
        statistics.Counters.TotalRoRevokes++;
        return header;
    }

    /// <summary>
    /// Starts revoking the delegations of a record this node masters (chain lock held): marks it
    /// RO_REVOKING_READONLY and sends every holder the plain copy. Calls for it are held with
    /// <see cref="Defer"/> from now on.
    /// </summary>
    public void Start(CtdbDatabase db, byte[] key, LtdbHeader header, ReadOnlySpan<byte> value)
    {
        header.Flags |= LtdbHeader.FlagRoRevokingReadonly;
        writer.Store(db, key, header, value);
        if (!_revokes.TryGetValue(db.Id, out var byKey))
        {
            byKey = new Dictionary<byte[], Revoke>(ByteArrayComparer.Instance);
            _revokes[db.Id] = byKey;
        }
        var revoke = new Revoke();
        byKey[key] = revoke;
        var copy = header with
        {
            Rsn = header.Rsn - 1,
            Dmaster = cluster.Pnn,
            Flags = (header.Flags & ~(LtdbHeader.FlagRoRevokingReadonly | LtdbHeader.FlagRoHaveDelegations | LtdbHeader.FlagRoHaveReadonly))
                | LtdbHeader.FlagMigratedWithData,
        };
        var buffer = new byte[RecBuffer.HeadSize + RecData.GetEncodedSize(key.Length, LtdbHeader.Size + value.Length)];
        var w = new RecBufferWriter(buffer, db.Id);
        w.TryAdd(0, key, copy, value);
        _ = RevokeAsync(db, key, revoke, Holders(db, key), buffer, copy.Rsn);
    }

    /// <summary>A recovery rebuilt the database: no delegation survives it, and the calls held for revokes go on.</summary>
    public void Recovered(CtdbDatabase db)
    {
        db.ReadonlyTracking?.Wipe();
        if (_revokes.Remove(db.Id, out var byKey))
        {
            foreach (var revoke in byKey.Values)
            {
                Release(revoke, readersLater: false);
            }
        }
    }

    private async Task RevokeAsync(CtdbDatabase db, byte[] key, Revoke revoke, List<uint> holders, byte[] update, ulong copyRsn)
    {
        var timeout = TimeSpan.FromSeconds(Math.Max(1u, tunables.Get("ControlTimeout")));
        var replies = holders.Select(pnn =>
        {
            var done = new TaskCompletionSource<(uint Pnn, int Status, string? Error)>();
            links.SendControl(pnn, ControlOpcode.UpdateRecord, 0, update, r => done.TrySetResult((pnn, r.Status, r.Error)), timeout);
            return done.Task;
        }).ToList();
        bool allAnswered = true;
        foreach (var reply in replies)
        {
            var (pnn, status, error) = await reply;
            if (status != 0)
            {
                allAnswered = false;
                log.Warning("Revoking a delegation of {Db} on node {Pnn} failed ({Status} {Error}); the next call tries again", db.Name, pnn, status, error);
            }
        }
        while (!db.File.TryChainLock(key))
        {
            var wait = new TaskCompletionSource();
            loop.AddTimer(TimeSpan.FromMilliseconds(1), () => wait.TrySetResult());
            await wait.Task;
        }
        if (!_revokes.TryGetValue(db.Id, out var byKey) || !byKey.TryGetValue(key, out var current) || !ReferenceEquals(current, revoke))
        {
            // A recovery ended it meanwhile.
            db.File.ChainUnlock(key);
            return;
        }
        bool complete = false;
        try
        {
            complete = Conclude(db, key, copyRsn, allAnswered);
        }
        finally
        {
            db.File.ChainUnlock(key);
        }
        byKey.Remove(key);
        Release(revoke, readersLater: complete);
    }

    /// <summary>Marks the record RO_REVOKE_COMPLETE (every holder answered) or takes the revoking mark off (chain lock held).</summary>
    private bool Conclude(CtdbDatabase db, byte[] key, ulong copyRsn, bool allAnswered)
    {
        int len = db.File.FetchInto(key, ref _record);
        if (len < LtdbHeader.Size)
        {
            log.Error("Revoking delegations of a record of {Db}: the record is gone", db.Name);
            return false;
        }
        var header = LtdbHeader.Read(_record);
        var value = _record.AsSpan(LtdbHeader.Size, len - LtdbHeader.Size);
        const uint revoking = LtdbHeader.FlagRoRevokingReadonly | LtdbHeader.FlagRoHaveDelegations;
        if (header.Rsn > copyRsn + 1 || (header.Flags & revoking) != revoking)
        {
            log.Error("Revoking delegations of a record of {Db}: it changed meanwhile (rsn {Rsn}, flags 0x{Flags:x8}); revoking mark taken off",
                db.Name, header.Rsn, header.Flags);
            header.Flags &= ~LtdbHeader.FlagRoRevokingReadonly;
            writer.Store(db, key, header, value);
            return false;
        }
        header.Flags &= ~LtdbHeader.FlagRoRevokingReadonly;
        if (allAnswered)
        {
            header.Rsn++;
            header.Flags |= LtdbHeader.FlagRoRevokeComplete;
        }
        writer.Store(db, key, header, value);
        return allAnswered;
    }

    /// <summary>Lets the held calls go: writers at once; readers with them, or a second later when the revoke completed (so writers go first).</summary>
    private void Release(Revoke revoke, bool readersLater)
    {
        foreach (var retry in revoke.Writers)
        {
            loop.Post(retry);
        }
        foreach (var retry in revoke.Readers)
        {
            if (readersLater)
            {
                loop.AddTimer(TimeSpan.FromSeconds(1), retry);
            }
            else
            {
                loop.Post(retry);
            }
        }
    }

    private static void AddHolder(CtdbDatabase db, ReadOnlySpan<byte> key, uint pnn)
    {
        var tracking = db.ReadonlyTracking!;
        byte[] bits = tracking.TryFetch(key, out var stored) ? stored : [];
        int index = (int)(pnn / 8);
        if (bits.Length <= index)
        {
            Array.Resize(ref bits, index + 1);
        }
        bits[index] |= (byte)(1 << (int)(pnn % 8));
        tracking.Store(key, bits);
    }

    private static List<uint> Holders(CtdbDatabase db, ReadOnlySpan<byte> key)
    {
        var holders = new List<uint>();
        if (db.ReadonlyTracking is { } tracking && tracking.TryFetch(key, out var bits))
        {
            for (int i = 0; i < bits.Length * 8; i++)
            {
                if ((bits[i / 8] & (1 << (i % 8))) != 0)
                {
                    holders.Add((uint)i);
                }
            }
        }
        return holders;
    }
}
