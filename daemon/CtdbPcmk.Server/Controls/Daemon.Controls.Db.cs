// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Clients;
using CtdbPcmk.Server.Controls;
using CtdbPcmk.Server.Databases;
using CtdbPcmk.Tdb;

namespace CtdbPcmk.Server;

public sealed partial class Daemon
{
    private ControlReply Attach(ClientConnection? client, uint reqId, ReqControl c, DatabaseKind kind)
    {
        string name = CString.DecodeTerminated(c.Data);
        if (!_cluster.IsActive(_cluster.Pnn))
        {
            _log.Warning("Refusing attach of {Name}: this node is inactive", name);
            return ControlReply.Fail;
        }
        if (client is not null && Tunable("AllowClientDBAttach") == 0)
        {
            return ControlReply.Fail;
        }
        try
        {
            var db = _databases.Attach(name, kind, out bool created);
            if (created)
            {
                db.Generation = _cluster.Generation;
                // After the reply, when no chain lock is held: the pages touched while
                // creating the file are not needed resident here.
                string path = db.Path;
                _loop.Post(() => MappingTrimmer.Trim(path));
                if (client is not null)
                {
                    BroadcastAttach(c.Opcode, c.Data);
                }
            }
            return U32(db.Id);
        }
        catch (AttachException e)
        {
            _log.Warning("Attach of {Name} refused: {Error}", name, e.Message);
            return ControlReply.Fail;
        }
        catch (Exception e) when (e is TdbException or IOException or UnauthorizedAccessException)
        {
            _log.Error("Attach of {Name} failed: {Error}", name, e.Message);
            return ControlReply.Fail;
        }
    }

    /// <summary>A database a client created here is attached on every other connected node too (as ctdbd).</summary>
    private void BroadcastAttach(ControlOpcode opcode, ReadOnlySpan<byte> name)
    {
        var data = name.ToArray();
        foreach (uint pnn in BroadcastTargets(WireFormat.BroadcastConnected).ToArray())
        {
            if (pnn != _cluster.Pnn)
            {
                SendNodeControl(pnn, opcode, 0, data, static _ => { });
            }
        }
    }

    private ControlReply DbMapReply()
    {
        var all = _databases.All;
        var entries = new DbMapEntry[all.Count];
        for (int i = 0; i < all.Count; i++)
        {
            entries[i] = new DbMapEntry(all[i].Id, all[i].Flags);
        }
        var map = new DbMap(entries);
        var data = new byte[map.EncodedSize];
        map.Write(data);
        return ControlReply.WithData(data);
    }

    private ControlReply EnableSeqnum(CtdbDatabase db)
    {
        if (!db.SeqnumEnabled)
        {
            db.File.EnableSeqnum();
            db.SeqnumEnabled = true;
            WatchSeqnum(db);
        }
        return ControlReply.Ok;
    }

    private static readonly byte[] s_seqnumKey = "__db_sequence_number__\0"u8.ToArray();

    private ControlReply GetDbSeqnum(ReadOnlySpan<byte> data) =>
        WithDb(data, db => U64(ReadSeqnum(db)));

    /// <summary>The u64 in the value of __db_sequence_number__ (0 when absent).</summary>
    private static ulong ReadSeqnum(CtdbDatabase db)
    {
        if (!db.File.TryFetch(s_seqnumKey, out var value) || value.Length < LtdbHeader.Size + 8)
        {
            return 0;
        }
        return BinaryPrimitives.ReadUInt64LittleEndian(value.AsSpan(LtdbHeader.Size));
    }

    private static ControlReply U64(ulong value)
    {
        var data = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(data, value);
        return ControlReply.WithData(data);
    }

    private ControlReply SetReadonly(CtdbDatabase db)
    {
        if (!db.IsVolatile)
        {
            return ControlReply.Failed("read-only delegations need a volatile database");
        }
        if (db.ReadonlyTracking is null)
        {
            string path = db.Path + ".RO";
            if (File.Exists(path))
            {
                File.Delete(path);
            }
            db.ReadonlyTracking = TdbFile.Open(path, (int)Tunable("DatabaseHashSize"),
                TdbFlags.NoLock | TdbFlags.ClearIfFirst | TdbFlags.NoSync, 0x42, 0x180);
            db.SetFlag(DbFlags.Readonly);
        }
        return ControlReply.Ok;
    }

    private ControlReply SetSticky(CtdbDatabase db)
    {
        if (!db.IsVolatile)
        {
            return ControlReply.Failed("sticky records need a volatile database");
        }
        db.SetFlag(DbFlags.Sticky);
        return ControlReply.Ok;
    }

    private ControlReply ScheduleForDeletion(ReadOnlySpan<byte> data)
    {
        var kd = KeyData.Read(data);
        if (data.Length != KeyData.FixedSize + kd.Key.Length)
        {
            return ControlReply.Fail;
        }
        if (!_databases.TryGet(kd.DbId, out var db))
        {
            return ControlReply.Failed($"Unknown db 0x{kd.DbId:x8}");
        }
        if (db.IsVolatile)
        {
            ScheduleVacuum(db, kd.Key.ToArray());
        }
        return ControlReply.Ok;
    }

    private static ControlReply DbStatistics(CtdbDatabase db)
    {
        // struct ctdb_db_statistics_old: locks (u32 num_calls, num_current, num_pending,
        // num_failed, latency counter, buckets[16]), vacuum latency, u32 db_ro_delegations,
        // db_ro_revokes, hop_count_bucket[16], u32 num_hot_keys, pad, hot keys (10 slots),
        // followed by the hot key bytes. Nothing is counted per database here: all zero.
        var data = new byte[464];
        _ = db;
        return ControlReply.WithData(data);
    }
}
