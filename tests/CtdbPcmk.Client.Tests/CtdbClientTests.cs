// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using System.Text;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Client.Tests;

public sealed class CtdbClientTests : IClassFixture<RealCtdbd>
{
    private readonly RealCtdbd _daemon;

    public CtdbClientTests(RealCtdbd daemon) => _daemon = daemon;

    [Fact]
    public void GetPnn_and_node_map_describe_the_single_node()
    {
        using var c = CtdbClient.Connect(_daemon.SocketPath);
        Assert.Equal(0u, c.GetPnn());
        var node = Assert.Single(c.GetNodeMap());
        Assert.Equal(0u, node.Pnn);
        Assert.Equal(0u, node.Flags & NodeFlags.Inactive);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 4379), node.Address);
        Assert.Equal(RunState.Running, c.GetRunState());
        Assert.Equal(RecoveryMode.Normal, c.GetRecMode());
        Assert.Equal(_daemon.Pid, c.GetPid());
    }

    [Fact]
    public void Ping_counts_connected_clients()
    {
        using var a = CtdbClient.Connect(_daemon.SocketPath);
        int before = a.Ping();
        using var b = CtdbClient.Connect(_daemon.SocketPath);
        Assert.Equal(before + 1, b.Ping());
        Assert.Equal(before + 1, a.PingRaw());
    }

    [Fact]
    public void Raw_requests_allocate_nothing()
    {
        using var c = CtdbClient.Connect(_daemon.SocketPath);
        uint db = c.AttachDatabase("clienttest-raw.tdb");
        for (int i = 0; i < 100; i++)
        {
            c.PingRaw();
            c.CallRaw(db, "rawkey"u8, ReqCall.FetchFunc, 0);
        }
        int minPing = int.MaxValue;
        int maxCallStatus = int.MinValue;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            minPing = Math.Min(minPing, c.PingRaw());
            maxCallStatus = Math.Max(maxCallStatus, Math.Abs(c.CallRaw(db, "rawkey"u8, ReqCall.FetchFunc, 0)));
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(minPing >= 1);
        Assert.Equal(0, maxCallStatus);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Uptime_reports_start_before_now()
    {
        using var c = CtdbClient.Connect(_daemon.SocketPath);
        var up = c.Uptime();
        Assert.True(up.StartTime < up.CurrentTime);
        Assert.True(Math.Abs((up.CurrentTime - DateTimeOffset.UtcNow).TotalSeconds) < 60);
    }

    [Fact]
    public void Attach_returns_the_jenkins_db_id_and_GetDbPath_the_file()
    {
        using var c = CtdbClient.Connect(_daemon.SocketPath);
        uint id = c.AttachDatabase("locking.tdb");
        Assert.Equal(0x7A19D84Du, id);
        Assert.Equal(id, c.AttachDatabase("locking.tdb"));
        string path = c.GetDbPath(id);
        Assert.Equal(Path.Combine(_daemon.NodeDir, "db", "volatile", "locking.tdb.0"), path);
        Assert.True(File.Exists(path));

        uint pid = c.AttachDatabase("secrets.tdb", DatabaseKind.Persistent);
        Assert.Equal(0x7132C184u, pid);
        Assert.Equal(Path.Combine(_daemon.NodeDir, "db", "persistent", "secrets.tdb.0"), c.GetDbPath(pid));
    }

    [Fact]
    public void Trans3Commit_stores_the_record_and_bumps_the_seqnum()
    {
        using var c = CtdbClient.Connect(_daemon.SocketPath);
        uint pnn = c.GetPnn();
        uint db = c.AttachDatabase("clienttest-commit.tdb", DatabaseKind.Persistent);
        ulong seq = c.GetDbSeqnum(db);
        for (int i = 1; i <= 2; i++)
        {
            ulong next = seq + (ulong)i;
            var value = Encoding.ASCII.GetBytes($"value-{next}");
            c.Trans3Commit(db,
            [
                new TransactionRecord("k1"u8.ToArray(), new LtdbHeader(next, pnn, 0), value),
                TransactionRecord.SequenceNumber(next, pnn),
            ]);
            Assert.Equal(next, c.GetDbSeqnum(db));
            // The real tool reads the persistent TDB the daemon wrote.
            Assert.Equal($"value-{next}", _daemon.Ctdb("pfetch", "clienttest-commit.tdb", "k1").Trim());
        }
    }

    [Fact]
    public void Fetch_call_returns_a_record_written_by_the_ctdb_tool()
    {
        using var c = CtdbClient.Connect(_daemon.SocketPath);
        uint db = c.AttachDatabase("clienttest-fetch.tdb");
        _daemon.Ctdb("writekey", "clienttest-fetch.tdb", "fkey", "fvalue");
        var r = c.Call(db, "fkey"u8, ReqCall.FetchFunc, 0);
        Assert.Equal(0, r.Status);
        Assert.Equal("fvalue"u8.ToArray(), r.Data);
        var missing = c.Call(db, "no-such-key"u8, ReqCall.FetchFunc, 0);
        Assert.Empty(missing.Data);
    }

    [Fact]
    public void Message_reaches_the_registered_srvid_only_while_registered()
    {
        const ulong Srvid = 0xAE00000000C11E47;
        using var receiver = CtdbClient.Connect(_daemon.SocketPath);
        using var sender = CtdbClient.Connect(_daemon.SocketPath);
        receiver.RegisterSrvid(Srvid);

        sender.SendMessage(WireFormat.CurrentNode, Srvid, "hello"u8);
        Assert.True(receiver.TryReceiveMessage(TimeSpan.FromSeconds(5), out var m));
        Assert.Equal(Srvid, m!.Srvid);
        Assert.Equal("hello"u8.ToArray(), m.Data);

        // A message that lands while the receiver waits for a reply is kept for later.
        sender.SendMessage(WireFormat.CurrentNode, Srvid, "queued"u8);
        sender.Ping();
        receiver.Ping();
        Assert.True(receiver.TryReceiveMessage(TimeSpan.Zero, out var q));
        Assert.Equal("queued"u8.ToArray(), q!.Data);

        receiver.DeregisterSrvid(Srvid);
        sender.SendMessage(WireFormat.CurrentNode, Srvid, "dropped"u8);
        sender.Ping();
        Assert.False(receiver.TryReceiveMessage(TimeSpan.FromMilliseconds(300), out _));
    }

    [Fact]
    public void Control_to_an_unknown_node_fails_with_the_daemon_text()
    {
        using var c = CtdbClient.Connect(_daemon.SocketPath);
        var r = c.Control(ControlOpcode.Ping, 5, default);
        Assert.Equal(-1, r.Status);
        Assert.Equal("ctdb_control to disconnected node", r.ErrorMessage);
        var e = Assert.Throws<CtdbControlException>(() => c.Ping(5));
        Assert.Equal(ControlOpcode.Ping, e.Opcode);
        Assert.Equal(0u, c.GetPnn());
    }

    [Fact]
    public void Connecting_to_a_missing_socket_throws_a_connection_error()
    {
        var e = Assert.Throws<CtdbConnectionException>(() => CtdbClient.Connect("/nonexistent/ctdbd.socket"));
        Assert.Contains("/nonexistent/ctdbd.socket", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Call_on_an_unknown_database_times_out_and_the_connection_survives()
    {
        using var c = CtdbClient.Connect(_daemon.SocketPath);
        Assert.Throws<TimeoutException>(() => c.CallRaw(0xDEADBEEF, "k"u8, ReqCall.FetchFunc, 0, TimeSpan.FromMilliseconds(200)));
        Assert.Equal(0u, c.GetPnn());
    }
}
