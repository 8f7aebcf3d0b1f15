// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Calls;
using CtdbPcmk.Server.Cluster;
using CtdbPcmk.Server.Controls;
using CtdbPcmk.Server.Databases;
using CtdbPcmk.Server.Recovery;
using CtdbPcmk.Transport;

namespace CtdbPcmk.Server.Vacuum;

/// <summary>
/// Vacuuming of the volatile databases on every cluster size: every VacuumInterval seconds
/// each volatile database gets a run (<see cref="VacuumRun"/>), one database at a time; every
/// VacuumFastPathCount-th run of a database is a full one. Runs wait while recovery is active
/// or the database is frozen, and end after VacuumMaxRunTime. Also answers the controls of
/// vacuuming: SCHEDULE_FOR_DELETION from clients, VACUUM_FETCH and TRY_DELETE_RECORDS from
/// other nodes' runs, and DB_VACUUM (a run now).
/// </summary>
internal sealed class Vacuumer(ClusterState cluster, DatabaseRegistry databases, NodeLinks links, CallEngine calls,
    DatabaseFreezer freezer, ControlReplies replies, TunableSettings tunables, EventLoop loop, Serilog.ILogger log)
{
    private readonly Dictionary<uint, DatabaseVacuum> _states = new();
    private bool _running;
    private LoopTimer? _timer;
    private byte[] _record = new byte[256];

    public void Start() => Arm();

    public void Stop()
    {
        _timer?.Cancel();
        _timer = null;
    }

    /// <summary>The vacuum state of a database (created on first use).</summary>
    public DatabaseVacuum StateOf(CtdbDatabase db)
    {
        if (!_states.TryGetValue(db.Id, out var state))
        {
            state = new DatabaseVacuum();
            _states[db.Id] = state;
        }
        return state;
    }

    /// <summary>A record stored empty while this node masters it: a deletion, vacuumed at the next run.</summary>
    public void Schedule(CtdbDatabase db, ReadOnlySpan<byte> key, LtdbHeader header)
    {
        if (db.IsVolatile)
        {
            // Beyond the bound the record is left to the next full run, which finds every empty record.
            StateOf(db).QueueDeletion(key.ToArray(), header);
        }
    }

    /// <summary>SCHEDULE_FOR_DELETION (a client deleted a record by storing it empty).</summary>
    public ControlReply ScheduleForDeletion(ReadOnlySpan<byte> data)
    {
        var kd = KeyData.Read(data);
        if (data.Length != KeyData.FixedSize + kd.Key.Length)
        {
            return ControlReply.Fail;
        }
        if (!databases.TryGet(kd.DbId, out var db))
        {
            return ControlReply.Failed($"Unknown db 0x{kd.DbId:x8}");
        }
        Schedule(db, kd.Key.Span, kd.Header);
        return ControlReply.Ok;
    }

    /// <summary>VACUUM_FETCH: another node's run sent keys this node is the lmaster of; the next run here takes them back.</summary>
    public ControlReply VacuumFetch(ReadOnlySpan<byte> data)
    {
        if (!TryReadRecords(data, out var records))
        {
            return ControlReply.Failed("VACUUM_FETCH: malformed rec buffer");
        }
        if (!databases.TryGet(records.DbId, out var db) || !db.IsVolatile)
        {
            return ControlReply.Failed($"Unknown or non-volatile db 0x{records.DbId:x8}");
        }
        var state = StateOf(db);
        foreach (var r in records)
        {
            if (!state.QueueFetch(r.Key.ToArray()))
            {
                log.Warning("VACUUM_FETCH for {Db}: {Max} keys already wait for the next run; the rest are left to the next full run", db.Name, DatabaseVacuum.MaxQueued);
                break;
            }
        }
        return ControlReply.Ok;
    }

    /// <summary>
    /// TRY_DELETE_RECORDS: the lmaster's run asks this node to delete its copies of records the
    /// lmaster is about to delete. A copy is deleted unless this node is the key's lmaster, the
    /// record was sent with a value, the chain is locked, this copy is newer (higher rsn), either
    /// header carries read-only flags, or this node masters the record. Replies the records not
    /// deleted, as they came.
    /// </summary>
    public ControlReply TryDeleteRecords(ReadOnlySpan<byte> data)
    {
        if (!TryReadRecords(data, out var records))
        {
            return ControlReply.Failed("TRY_DELETE_RECORDS: malformed rec buffer");
        }
        if (!databases.TryGet(records.DbId, out var db) || !db.IsVolatile)
        {
            return ControlReply.Failed($"Unknown or non-volatile db 0x{records.DbId:x8}");
        }
        if (!MayRun(db, out string why))
        {
            // The chains belong to the recovery now.
            return ControlReply.Failed($"not deleting records of {db.Name}: {why}");
        }
        foreach (var r in records)
        {
            if (r.Data.Length < LtdbHeader.Size)
            {
                return ControlReply.Failed("TRY_DELETE_RECORDS: a record without an ltdb header");
            }
        }
        var state = StateOf(db);
        var refused = new List<int>();
        int size = RecBuffer.HeadSize;
        int index = 0;
        foreach (var r in records)
        {
            if (TryDeleteCopy(db, r.Key, r.Data))
            {
                state.Totals.DeletedForOthers++;
            }
            else
            {
                refused.Add(index);
                size += RecData.GetEncodedSize(r.Key.Length, r.Data.Length);
            }
            index++;
        }
        // The reply holds the refused records only, as they came.
        var reply = new byte[size];
        var w = new RecBufferWriter(reply, records.DbId);
        index = 0;
        int next = 0;
        foreach (var r in records)
        {
            if (next < refused.Count && refused[next] == index)
            {
                w.TryAdd(r.ReqId, r.Key, r.Data);
                next++;
            }
            index++;
        }
        return ControlReply.WithData(reply);
    }

    /// <summary>
    /// Reads a rec buffer and walks every record once, so that a malformed one fails the control
    /// (as ctdbd answers -1) instead of throwing halfway through.
    /// </summary>
    private static bool TryReadRecords(ReadOnlySpan<byte> data, out RecBuffer records)
    {
        try
        {
            records = RecBuffer.Read(data);
            foreach (var _ in records)
            {
            }
            return true;
        }
        catch (ProtocolException)
        {
            records = default;
            return false;
        }
    }

    private bool TryDeleteCopy(CtdbDatabase db, ReadOnlySpan<byte> key, ReadOnlySpan<byte> sent)
    {
        if (cluster.Lmaster(key) == cluster.Pnn || sent.Length != LtdbHeader.Size || !db.File.TryChainLock(key))
        {
            return false;
        }
        try
        {
            int len = db.File.FetchInto(key, ref _record);
            if (len < 0)
            {
                return true;
            }
            if (len < LtdbHeader.Size)
            {
                db.File.Delete(key);
                return true;
            }
            var mine = LtdbHeader.Read(_record);
            var theirs = LtdbHeader.Read(sent);
            if (mine.Rsn > theirs.Rsn || ((mine.Flags | theirs.Flags) & LtdbHeader.FlagRoMask) != 0 || mine.Dmaster == cluster.Pnn)
            {
                return false;
            }
            return db.File.Delete(key);
        }
        finally
        {
            db.File.ChainUnlock(key);
        }
    }

    /// <summary>DB_VACUUM {u32 db_id, u8 full}: a run of that database now; the reply says whether it ran.</summary>
    public ControlReply DbVacuum(ControlOrigin origin, ReadOnlySpan<byte> data)
    {
        if (data.Length != 5)
        {
            return ControlReply.Failed("DB_VACUUM carries a db id and a full-run byte");
        }
        uint id = BinaryPrimitives.ReadUInt32LittleEndian(data);
        bool full = data[4] != 0;
        if (!databases.TryGet(id, out var db) || !db.IsVolatile)
        {
            return ControlReply.Failed($"Unknown or non-volatile db 0x{id:x8}");
        }
        if (_running || StateOf(db).Running)
        {
            return ControlReply.Failed("a vacuum run is under way");
        }
        if (!MayRun(db, out string why))
        {
            return ControlReply.Failed($"not vacuuming {db.Name}: {why}");
        }
        _running = true;
        _ = ReplyWhenDoneAsync(origin, db, full);
        return ControlReply.Deferred;
    }

    private async Task ReplyWhenDoneAsync(ControlOrigin origin, CtdbDatabase db, bool full)
    {
        bool ok;
        try
        {
            ok = await RunOneAsync(db, full);
        }
        finally
        {
            _running = false;
        }
        replies.Complete(origin, ok ? ControlReply.Ok : ControlReply.Failed($"vacuuming {db.Name} failed"));
    }

    private void Arm() =>
        _timer = loop.AddTimer(TimeSpan.FromSeconds(Math.Max(1u, tunables.Get("VacuumInterval"))), () => _ = TickAsync());

    /// <summary>Runs every volatile database in turn, then arms the next tick (whatever a run did).</summary>
    private async Task TickAsync()
    {
        if (cluster.RunState == RunState.Shutdown)
        {
            return;
        }
        bool mine = false;
        try
        {
            if (!_running)
            {
                _running = mine = true;
                foreach (var db in databases.All.Where(d => d.IsVolatile).ToList())
                {
                    if (!MayRun(db, out _))
                    {
                        continue;
                    }
                    var state = StateOf(db);
                    uint every = tunables.Get("VacuumFastPathCount");
                    bool full = every != 0 && state.FastRuns >= every;
                    await RunOneAsync(db, full);
                }
            }
        }
        finally
        {
            if (mine)
            {
                _running = false;
            }
            if (cluster.RunState != RunState.Shutdown)
            {
                Arm();
            }
        }
    }

    private bool MayRun(CtdbDatabase db, out string why)
    {
        why = cluster.RecoveryMode == RecoveryMode.Active ? "in recovery" : freezer.IsFrozen(db.Id) ? "frozen" : "";
        return why.Length == 0;
    }

    private async Task<bool> RunOneAsync(CtdbDatabase db, bool full)
    {
        var state = StateOf(db);
        state.Running = true;
        long started = loop.Now;
        long deadline = started + (long)(Math.Max(1u, tunables.Get("VacuumMaxRunTime")) * (double)loop.Time.TimestampFrequency);
        var run = new VacuumRun(cluster, db, state, links, calls, () => !MayRun(db, out _), tunables, loop, log);
        bool ok = true;
        try
        {
            await run.RunAsync(full, deadline);
        }
        catch (Exception e) when (e is Tdb.TdbException or ProtocolException or InvalidOperationException or IOException)
        {
            log.Error("Vacuuming {Db} failed: {Error}", db.Name, e.Message);
            ok = false;
        }
        finally
        {
            state.Running = false;
        }
        state.FastRuns = full ? 0 : state.FastRuns + 1;
        double seconds = (double)(loop.Now - started) / loop.Time.TimestampFrequency;
        db.Statistics.VacuumRan(seconds);
        state.Totals.Add(run.Counts);
        if (loop.Now > deadline)
        {
            log.Warning("Vacuuming {Db} ran past VacuumMaxRunTime ({Seconds:F1} s); what was left waits for the next run", db.Name, seconds);
        }
        if (run.Counts.Examined != 0 || run.Counts.Fetched != 0)
        {
            log.Debug("{Kind} vacuum run of {Db} in {Seconds:F3} s: {Counts}", full ? "Full" : "Fast", db.Name, seconds, run.Counts);
        }
        return ok;
    }
}
