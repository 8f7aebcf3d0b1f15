// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net.Sockets;
using CtdbPcmk.Client;
using CtdbPcmk.Server.Clients;
using static CtdbPcmk.Server.Tests.RawSockets;

namespace CtdbPcmk.Server.Tests;

/// <summary>One client cannot take the daemon from the others: each limit holds, logs, and costs the others nothing.</summary>
public sealed class ClientLimitsTests
{
    // GET_PNN as smbd sends it (60 bytes); its reply is 48 bytes (ctdb-protocol.md §7.1).
    private static readonly byte[] s_getPnn = Convert.FromHexString(
        "3c00000042445443010000000000000007000000010000f00000000001000000" +
        "23000000000000000000000000000000000000000000000000000000");

    private const int ReplyLength = 48;

    [Fact]
    public void Clients_beyond_the_limit_are_refused_with_a_log_line_and_the_others_are_served()
    {
        var log = new LogLines();
        using var daemon = new DaemonFixture(new ClientLimits { MaxClients = 5 }, log.Logger);
        var clients = Enumerable.Range(0, 5).Select(_ => daemon.Connect()).ToList();
        try
        {
            Assert.All(clients, c => Assert.Equal(0u, c.GetPnn()));
            using (var refused = RawConnect(daemon))
            {
                Assert.Equal(0, ReadAll(refused, out _));
            }
            Assert.Contains(log.Lines, l => l.Contains("[limits] max clients", StringComparison.Ordinal));
            Assert.Equal(0u, clients[4].GetPnn());
            clients[0].Dispose();
            clients.RemoveAt(0);
            // A place is free again (the daemon may hear of the close a moment later).
            Assert.True(Eventually(() =>
            {
                using var again = daemon.Connect();
                return again.GetPnn() == 0;
            }));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public void Registrations_beyond_the_limit_fail_with_a_log_line()
    {
        var log = new LogLines();
        using var daemon = new DaemonFixture(new ClientLimits { MaxRegistrations = 3 }, log.Logger);
        using var c = daemon.Connect();
        c.RegisterSrvid(0x1001);
        c.RegisterSrvid(0x1002);
        c.RegisterSrvid(0x1003);
        Assert.ThrowsAny<CtdbControlException>(() => c.RegisterSrvid(0x1004));
        Assert.Contains(log.Lines, l => l.Contains("[limits] client registrations", StringComparison.Ordinal));
        c.DeregisterSrvid(0x1001);
        c.RegisterSrvid(0x1004);
        // Another client has its own allowance.
        using var other = daemon.Connect();
        other.RegisterSrvid(0x1001);
        other.RegisterSrvid(0x1002);
    }

    [Fact]
    public void A_client_that_does_not_read_waits_for_its_replies_and_loses_none()
    {
        var log = new LogLines();
        using var daemon = new DaemonFixture(new ClientLimits { QueuePause = 64 * 1024, QueueMaximum = 1 << 20 }, log.Logger);
        using var bystander = daemon.Connect();
        using var greedy = RawConnect(daemon);
        // Requests until the socket takes no more: the daemon stopped reading them.
        greedy.Blocking = false;
        var burst = new byte[s_getPnn.Length * 1000];
        for (int i = 0; i < 1000; i++)
        {
            s_getPnn.CopyTo(burst, i * s_getPnn.Length);
        }
        long sent = 0;
        var quiet = System.Diagnostics.Stopwatch.StartNew();
        var all = System.Diagnostics.Stopwatch.StartNew();
        while (quiet.Elapsed < TimeSpan.FromMilliseconds(500))
        {
            Assert.True(all.Elapsed < TimeSpan.FromSeconds(60), $"the daemon still reads after {sent} bytes");
            int offset = (int)(sent % burst.Length);
            int n = greedy.Send(burst, offset, burst.Length - offset, SocketFlags.None, out var error);
            if (n > 0)
            {
                sent += n;
                quiet.Restart();
            }
            else if (error == SocketError.WouldBlock)
            {
                Thread.Sleep(5);
            }
            else
            {
                Assert.Fail($"send: {error}");
            }
        }
        // Bounded: what the daemon read is what the pause allows, not all that was offered.
        Assert.True(sent < 64L << 20, $"{sent} bytes taken");
        // A busy machine can stall the daemon for 500 ms too: the pause is what must come.
        Assert.True(Eventually(() => log.Lines.Any(l => l.Contains("does not read its replies", StringComparison.Ordinal))), "no pause");
        Assert.Equal(0u, bystander.GetPnn());

        // Now it reads: every request it sent in whole gets its reply, then the one it sent in part.
        greedy.Blocking = true;
        greedy.ReceiveTimeout = 30_000;
        greedy.SendTimeout = 30_000;
        long expected = sent / s_getPnn.Length * ReplyLength;
        long received = Receive(greedy, expected);
        if (sent % s_getPnn.Length != 0)
        {
            int done = (int)(sent % s_getPnn.Length);
            greedy.Send(s_getPnn, done, s_getPnn.Length - done, SocketFlags.None);
            expected += ReplyLength;
            received += Receive(greedy, ReplyLength);
        }
        Assert.Equal(expected, received);
        Assert.Equal(0u, bystander.GetPnn());
    }

    [Fact]
    public void A_client_left_more_than_the_maximum_unread_is_disconnected_and_the_sender_is_not()
    {
        var log = new LogLines();
        using var daemon = new DaemonFixture(new ClientLimits { QueuePause = 64 * 1024, QueueMaximum = 1 << 20 }, log.Logger);
        using var sleeper = daemon.Connect();
        sleeper.RegisterSrvid(0x5150);
        using var sender = daemon.Connect();
        var payload = new byte[64 * 1024];
        for (int i = 0; i < 64; i++)
        {
            sender.SendMessage(0, 0x5150, payload);
        }
        Assert.Equal(0u, sender.GetPnn());
        Assert.True(Eventually(() => log.Lines.Any(l => l.Contains("bytes queued and not read", StringComparison.Ordinal))));
        Assert.ThrowsAny<Exception>(() =>
        {
            while (sleeper.TryReceiveMessage(TimeSpan.FromSeconds(2), out _))
            {
            }
            sleeper.GetPnn();
        });
        Assert.Equal(0u, sender.GetPnn());
    }

    [Fact]
    public void A_client_with_too_many_calls_waiting_is_held_and_every_call_is_answered_later()
    {
        const int Limit = 64;
        const int Calls = 500;
        var log = new LogLines();
        using var daemon = new DaemonFixture(new ClientLimits { MaxPendingCalls = Limit }, log.Logger, startAsLeader: false);
        using var bystander = daemon.Connect();
        uint db = bystander.AttachDatabase("pending-limit.tdb");
        // As `ctdb recover` does: recovery mode ACTIVE, and with no leader to run a recovery,
        // every call waits in the daemon.
        var active = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(active, 1);
        Assert.Equal(0, bystander.Control(Protocol.ControlOpcode.SetRecMode, Protocol.WireFormat.CurrentNode, active).Status);
        using var caller = RawConnect(daemon);
        // Sent from another thread: once the client is held, the calls the daemon has not read
        // wait in the socket, and whether all of them fit there depends on the kernel's
        // accounting, so the sender may block until the recovery below lets the daemon read on.
        var sending = new Thread(() =>
        {
            var key = "the-key"u8;
            var packet = new byte[Protocol.Packet.WireSize(Protocol.ReqCall.FixedSize + key.Length)];
            for (uint reqId = 1; reqId <= Calls; reqId++)
            {
                var call = new Protocol.ReqCall { DbId = db, CallId = Protocol.ReqCall.FetchFunc, Key = key };
                int size = call.Write(packet, new Protocol.PacketHeader(0, 0, Protocol.Operation.ReqCall, 0, 0, reqId));
                caller.Send(packet, 0, size, SocketFlags.None);
            }
        })
        { IsBackground = true, Name = "call-sender" };
        sending.Start();
        Assert.True(Eventually(() => log.Lines.Any(l => l.Contains("[limits] client pending calls", StringComparison.Ordinal))),
            "no log line for the held client:\n" + string.Join("\n", log.Lines));
        // Held at the limit: the daemon keeps exactly that many of its calls.
        Assert.Contains(log.Lines, l => l.Contains($"has {Limit} calls waiting", StringComparison.Ordinal));
        Assert.Equal(0u, bystander.GetPnn());

        // The node recovers: every call, read or not when it was held, is answered once.
        bystander.SetLeaderRole(true);
        var seen = new HashSet<uint>();
        var frames = new Protocol.FrameReader(64 * 1024);
        caller.ReceiveTimeout = 20_000;
        while (seen.Count < Calls)
        {
            var room = frames.FreeSpace();
            int n = caller.Receive(room);
            Assert.True(n > 0, $"closed after {seen.Count} replies");
            frames.Advance(n);
            while (frames.TryTake(out int offset, out int length))
            {
                var header = Protocol.PacketHeader.Read(frames.Buffer.Span.Slice(offset, length));
                Assert.Equal(Protocol.Operation.ReplyCall, header.Operation);
                Assert.True(seen.Add(header.ReqId), $"reqid {header.ReqId} answered twice");
            }
        }
        Assert.Equal(Enumerable.Range(1, Calls).Select(i => (uint)i), seen.Order());
        Assert.True(sending.Join(TimeSpan.FromSeconds(20)), "the calls were not all sent");
    }
}
