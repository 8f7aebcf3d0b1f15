// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text;
using CtdbPcmk.Client;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Server.Tests;

public sealed class DatabaseTests : IClassFixture<DaemonFixture>
{
    private readonly DaemonFixture _daemon;

    public DatabaseTests(DaemonFixture daemon) => _daemon = daemon;

    [Fact]
    public void Attach_volatile_creates_the_file_ctdbd_would_with_its_flags()
    {
        using var c = _daemon.Connect();
        uint id = c.AttachDatabase("locking.tdb");
        Assert.Equal(0x7A19D84Du, id); // jenkins("locking.tdb\0"), as ctdbd answers
        Assert.Equal(id, c.AttachDatabase("locking.tdb"));
        string path = c.GetDbPath(id);
        Assert.Equal(Path.Combine(_daemon.Options.VolatileDirectory, "locking.tdb.0"), path);
        Assert.True(File.Exists(path));
        var flags = c.Control(ControlOpcode.DbOpenFlags, WireFormat.CurrentNode, BitConverter.GetBytes(id));
        Assert.Equal(4, flags.Data.Length);
        Assert.Equal(0x1C41, BitConverter.ToInt32(flags.Data));
        Assert.Equal(0, c.Control(ControlOpcode.EnableSeqnum, WireFormat.CurrentNode, BitConverter.GetBytes(id)).Status);
        flags = c.Control(ControlOpcode.DbOpenFlags, WireFormat.CurrentNode, BitConverter.GetBytes(id));
        Assert.Equal(0x1CC1, BitConverter.ToInt32(flags.Data));
    }

    [Fact]
    public void Attach_persistent_uses_the_persistent_directory_and_flags()
    {
        using var c = _daemon.Connect();
        uint id = c.AttachDatabase("secrets.tdb", DatabaseKind.Persistent);
        Assert.Equal(0x7132C184u, id);
        Assert.Equal(Path.Combine(_daemon.Options.PersistentDirectory, "secrets.tdb.0"), c.GetDbPath(id));
        var flags = c.Control(ControlOpcode.DbOpenFlags, WireFormat.CurrentNode, BitConverter.GetBytes(id));
        Assert.Equal(0x0400, BitConverter.ToInt32(flags.Data));
        // A volatile attach of an existing persistent database returns it ...
        Assert.Equal(id, c.AttachDatabase("secrets.tdb"));
        // ... but a persistent attach of a volatile one is refused.
        c.AttachDatabase("brlock.tdb");
        var r = c.Control(ControlOpcode.DbAttachPersistent, WireFormat.CurrentNode, CString.Encode("brlock.tdb"));
        Assert.Equal(-1, r.Status);
    }

    [Fact]
    public void Dbmap_lists_databases_newest_first_with_flags()
    {
        using var c = _daemon.Connect();
        uint v = c.AttachDatabase("dbmap-v.tdb");
        uint p = c.AttachDatabase("dbmap-p.tdb", DatabaseKind.Persistent);
        var r = c.Control(ControlOpcode.GetDbMap, WireFormat.CurrentNode, default);
        var map = DbMap.Read(r.Data).Dbs;
        int iv = map.ToList().FindIndex(e => e.DbId == v);
        int ip = map.ToList().FindIndex(e => e.DbId == p);
        Assert.True(ip < iv);
        Assert.Equal(DbFlags.Persistent, map[ip].Flags);
        Assert.Equal(0, map[iv].Flags);
        var name = c.Control(ControlOpcode.GetDbName, WireFormat.CurrentNode, BitConverter.GetBytes(p));
        Assert.Equal("dbmap-p.tdb\0", Encoding.UTF8.GetString(name.Data));
        var health = c.Control(ControlOpcode.DbGetHealth, WireFormat.CurrentNode, BitConverter.GetBytes(p));
        Assert.Equal(0, health.Status);
        Assert.Empty(health.Data);
    }

    [Fact]
    public void Calls_make_the_record_local_and_fetch_returns_empty_for_a_new_record()
    {
        using var c = _daemon.Connect();
        uint id = c.AttachDatabase("calls.tdb");
        var key = "key1"u8.ToArray();
        var migrate = c.Call(id, key, ReqCall.NullFunc, ReqCall.FlagImmediateMigration);
        Assert.Equal(0, migrate.Status);
        Assert.Empty(migrate.Data);
        var fetch = c.Call(id, key, ReqCall.FetchFunc, 0);
        Assert.Equal(0, fetch.Status);
        Assert.Empty(fetch.Data);
        var withHeader = c.Call(id, key, ReqCall.FetchWithHeaderFunc, 0);
        var header = LtdbHeader.Read(withHeader.Data);
        Assert.Equal(0u, header.Dmaster);
        // Every daemon-side store of a mastered record bumps the rsn: the first call stores
        // the new record and then the call's result (2), the second call stores again (3).
        Assert.Equal(3ul, header.Rsn);
        Assert.Equal(0u, header.Flags);
        var unknown = c.Call(id, key, 0x1234, 0);
        Assert.Equal(-1, unknown.Status);
    }

    [Fact]
    public void Trans3_commit_writes_records_and_the_sequence_number()
    {
        using var c = _daemon.Connect();
        uint id = c.AttachDatabase("trans3.tdb", DatabaseKind.Persistent);
        Assert.Equal(0ul, c.GetDbSeqnum(id));
        var records = new[]
        {
            new TransactionRecord("pkey1"u8.ToArray(), new LtdbHeader(1, 0, 0), "pvalue1"u8.ToArray()),
            TransactionRecord.SequenceNumber(1, 0),
        };
        c.Trans3Commit(id, records);
        Assert.Equal(1ul, c.GetDbSeqnum(id));

        // An older rsn with different data is refused, and nothing of that commit is written.
        var stale = new[]
        {
            new TransactionRecord("pkey1"u8.ToArray(), new LtdbHeader(1, 0, 0), "other"u8.ToArray()),
            TransactionRecord.SequenceNumber(2, 0),
        };
        Assert.NotEqual(0, c.Trans3CommitRaw(id, stale));
        Assert.Equal(1ul, c.GetDbSeqnum(id));

        var traversed = Traverse(c, id);
        Assert.Contains(traversed, r => r.Key == "pkey1" && r.Value == "pvalue1");
    }

    [Fact]
    public void Trans3_commit_on_a_volatile_database_is_refused()
    {
        using var c = _daemon.Connect();
        uint id = c.AttachDatabase("trans3-volatile.tdb");
        var records = new[] { TransactionRecord.SequenceNumber(1, 0) };
        Assert.Equal(-1, c.Trans3CommitRaw(id, records));
    }

    private static List<(string Key, string Value)> Traverse(CtdbClient c, uint id)
    {
        ulong srvid = 0xBE00_0000_0000_0000 | (uint)Environment.ProcessId;
        c.RegisterSrvid(srvid);
        var start = new byte[TraverseStartExt.Size];
        new TraverseStartExt(id, 77, srvid, false).Write(start);
        Assert.Equal(0, c.Control(ControlOpcode.TraverseStartExt, WireFormat.CurrentNode, start, srvid).Status);
        var result = new List<(string, string)>();
        while (true)
        {
            Assert.True(c.TryReceiveMessage(TimeSpan.FromSeconds(5), out var msg));
            var rec = RecData.Read(msg!.Data);
            Assert.Equal(77u, rec.ReqId);
            if (rec.IsEndMarker)
            {
                break;
            }
            result.Add((Encoding.UTF8.GetString(rec.Key), Encoding.UTF8.GetString(rec.Value)));
        }
        c.DeregisterSrvid(srvid);
        return result;
    }
}
