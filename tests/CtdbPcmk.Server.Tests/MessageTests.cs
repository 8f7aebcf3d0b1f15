// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Server.Tests;

public sealed class MessageTests : IClassFixture<DaemonFixture>
{
    private readonly DaemonFixture _daemon;

    public MessageTests(DaemonFixture daemon) => _daemon = daemon;

    [Fact]
    public void Message_reaches_every_registration_and_broadcasts_include_this_node()
    {
        using var a = _daemon.Connect();
        using var b = _daemon.Connect();
        using var sender = _daemon.Connect();
        const ulong srvid = 0xAE00_0000_0000_1234;
        a.RegisterSrvid(srvid);
        b.RegisterSrvid(srvid);
        sender.SendMessage(WireFormat.CurrentNode, srvid, "hello"u8);
        Assert.True(a.TryReceiveMessage(TimeSpan.FromSeconds(5), out var ma));
        Assert.True(b.TryReceiveMessage(TimeSpan.FromSeconds(5), out var mb));
        Assert.Equal("hello"u8.ToArray(), ma!.Data);
        Assert.Equal("hello"u8.ToArray(), mb!.Data);
        Assert.Equal(0u, ma.SrcNode);

        sender.SendMessage(WireFormat.BroadcastConnected, srvid, "all"u8);
        Assert.True(a.TryReceiveMessage(TimeSpan.FromSeconds(5), out var mc));
        Assert.Equal("all"u8.ToArray(), mc!.Data);
        Assert.True(b.TryReceiveMessage(TimeSpan.FromSeconds(5), out var md));
        Assert.Equal("all"u8.ToArray(), md!.Data);

        b.DeregisterSrvid(srvid);
        sender.SendMessage(WireFormat.CurrentNode, srvid, "only-a"u8);
        Assert.True(a.TryReceiveMessage(TimeSpan.FromSeconds(5), out _));
        Assert.False(b.TryReceiveMessage(TimeSpan.FromMilliseconds(200), out _));
    }

    [Fact]
    public void Messages_larger_than_a_socket_buffer_arrive_whole_and_the_next_one_too()
    {
        // The daemon's read buffer grows as a packet's bytes come in, not by the size it declares.
        using var receiver = _daemon.Connect();
        using var sender = _daemon.Connect();
        const ulong srvid = 0xAE00_0000_0000_5678;
        receiver.RegisterSrvid(srvid);
        foreach (var size in new[] { 3 * 1024 * 1024 + 5, 100_000, 7 })
        {
            var data = new byte[size];
            new Random(size).NextBytes(data);
            sender.SendMessage(WireFormat.CurrentNode, srvid, data);
            Assert.True(receiver.TryReceiveMessage(TimeSpan.FromSeconds(10), out var m), $"{size} bytes: nothing received");
            Assert.Equal(data, m!.Data);
        }
    }

    [Fact]
    public void Registering_for_leader_messages_is_answered_with_the_leader_at_once()
    {
        using var c = _daemon.Connect();
        c.RegisterSrvid(Srvid.Leader);
        Assert.True(c.TryReceiveMessage(TimeSpan.FromMilliseconds(900), out var msg));
        Assert.Equal(Srvid.Leader, msg!.Srvid);
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(msg.Data));
    }

    [Fact]
    public void A_client_that_goes_away_loses_its_registrations()
    {
        const ulong srvid = 0xAE00_0000_0000_4321;
        var gone = _daemon.Connect();
        gone.RegisterSrvid(srvid);
        int pid = Environment.ProcessId;
        gone.Dispose();
        using var c = _daemon.Connect();
        var ps = new byte[PidSrvid.Size];
        new PidSrvid(pid, srvid).Write(ps);
        // Wait for the daemon to see the close.
        int status = 0;
        for (int i = 0; i < 100 && status == 0; i++)
        {
            status = c.Control(ControlOpcode.CheckPidSrvid, WireFormat.CurrentNode, ps).Status;
            Thread.Sleep(10);
        }
        Assert.Equal(-1, status);
    }
}
