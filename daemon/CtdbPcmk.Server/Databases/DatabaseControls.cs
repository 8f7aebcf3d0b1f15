// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Cluster;
using CtdbPcmk.Server.Controls;
using CtdbPcmk.Tdb;
using CtdbPcmk.Transport;

namespace CtdbPcmk.Server.Databases;

/// <summary>
/// The database controls that are not recovery's: attach (and telling the other nodes),
/// the db map, paths, names, health, read-only and sticky flags.
/// </summary>
internal sealed class DatabaseControls(ClusterState cluster, DatabaseRegistry databases, NodeLinks links,
    TunableSettings tunables, EventLoop loop, Serilog.ILogger log)
{
    /// <summary>DB_ATTACH(_PERSISTENT, _REPLICATED) from a client or, for a database a client created there, from another node.</summary>
    public ControlReply Attach(bool fromClient, ReqControl c, DatabaseKind kind)
    {
        string name = CString.DecodeTerminated(c.Data);
        if (!cluster.IsActive(cluster.Pnn))
        {
            log.Warning("Refusing attach of {Name}: this node is inactive", name);
            return ControlReply.Fail;
        }
        if (fromClient && tunables.Get("AllowClientDBAttach") == 0)
        {
            return ControlReply.Fail;
        }
        try
        {
            var db = databases.Attach(name, kind, out bool created);
            if (created)
            {
                db.Generation = cluster.Generation;
                // After the reply, when no chain lock is held: the pages touched while
                // creating the file are not needed resident here.
                string path = db.Path;
                loop.Post(() => MappingTrimmer.Trim(path));
                if (fromClient)
                {
                    // A database a client created here is attached on every other connected node too (as ctdbd).
                    links.SendToPeers(c.Opcode, c.Data.ToArray());
                }
            }
            return ControlData.U32(db.Id);
        }
        catch (AttachException e)
        {
            log.Warning("Attach of {Name} refused: {Error}", name, e.Message);
            return ControlReply.Fail;
        }
        catch (Exception e) when (e is TdbException or IOException or UnauthorizedAccessException)
        {
            log.Error("Attach of {Name} failed: {Error}", name, e.Message);
            return ControlReply.Fail;
        }
    }

    public ControlReply DbMap()
    {
        var all = databases.All;
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

    /// <summary>Runs <paramref name="action"/> for the database named by a u32 db_id (GETDBPATH etc.).</summary>
    public ControlReply WithDb(ReadOnlySpan<byte> data, Func<CtdbDatabase, ControlReply> action)
    {
        // Several controls carry the id in 4 bytes; GET_DB_SEQNUM and a few others pad it to 8.
        if (data.Length is not (4 or 8))
        {
            return ControlReply.Fail;
        }
        uint id = BinaryPrimitives.ReadUInt32LittleEndian(data);
        if (!databases.TryGet(id, out var db))
        {
            return ControlReply.Failed($"Unknown db 0x{id:x8}");
        }
        return action(db);
    }

    public ControlReply SetReadonly(CtdbDatabase db)
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
            db.ReadonlyTracking = TdbFile.Open(path, (int)tunables.Get("DatabaseHashSize"),
                TdbFlags.NoLock | TdbFlags.ClearIfFirst | TdbFlags.NoSync, 0x42, 0x180);
            db.SetFlag(DbFlags.Readonly);
        }
        return ControlReply.Ok;
    }

    public static ControlReply SetSticky(CtdbDatabase db)
    {
        if (!db.IsVolatile)
        {
            return ControlReply.Failed("sticky records need a volatile database");
        }
        db.SetFlag(DbFlags.Sticky);
        return ControlReply.Ok;
    }

    public static ControlReply Statistics(CtdbDatabase db) => ControlReply.WithData(db.Statistics.Encode());
}
