// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net.Sockets;
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Clients;
using static CtdbPcmk.Server.Tests.RawSockets;

namespace CtdbPcmk.Server.Tests;

/// <summary>
/// Packets of megabytes from clients share one bounded memory ([limits] large packet memory):
/// those that do not fit wait their turn unread, each is read whole in the end, and a client that
/// stops in the middle of one while others wait is disconnected.
/// </summary>
public sealed class LargePacketTests
{
    private const ulong Srvid = 0xB1B0_0000_0000_0001;
    private const int Mib = 1 << 20;

    /// <summary>A REQ_MESSAGE to <see cref="Srvid"/> on this node, <paramref name="size"/> bytes in all, its data filled with <paramref name="fill"/>.</summary>
    private static byte[] Message(int size, byte fill)
    {
        var data = Data(size - ReqMessage.FixedSize, fill);
        var packet = new byte[size + 8];
        int length = new ReqMessage { Srvid = Srvid, Data = data }.Write(packet, new PacketHeader(0, 0, Operation.ReqMessage, 0, 0, 0));
        return packet.AsSpan(0, length).ToArray();
    }

    private static byte[] Data(int size, byte fill)
    {
        var data = new byte[size];
        Array.Fill(data, fill);
        return data;
    }

    private static Thread Start(Action action)
    {
        var t = new Thread(() => action()) { IsBackground = true };
        t.Start();
        return t;
    }

    [Fact]
    public void Clients_whose_large_packets_do_not_fit_wait_their_turn_and_each_is_read_whole()
    {
        var log = new LogLines();
        using var daemon = new DaemonFixture(new ClientLimits { LargePackets = 4 * Mib }, log.Logger);
        using var receiver = daemon.Connect();
        receiver.RegisterSrvid(Srvid);

        // One client is in the middle of a 3 MiB packet: 3 of the 4 MiB are its own until it is read.
        var first = Message(3 * Mib, 0xF0);
        using var holder = RawConnect(daemon);
        holder.Send(first, 0, first.Length / 2, SocketFlags.None);

        const int Senders = 5;
        var answered = new bool[Senders];
        var senders = Enumerable.Range(0, Senders).Select(i => Start(() =>
        {
            using var c = daemon.Connect();
            c.Timeout = TimeSpan.FromSeconds(60);
            c.SendMessage(0, Srvid, Data(3 * Mib - i, (byte)i));
            answered[i] = c.GetPnn() == 0;
        })).ToList();

        Assert.True(Eventually(() => log.Lines.Any(l => l.Contains("waits for memory", StringComparison.Ordinal))), "no client waited");
        Assert.False(receiver.TryReceiveMessage(TimeSpan.FromMilliseconds(500), out _), "a packet was read past the budget");
        Assert.Equal(0u, receiver.GetPnn()); // small packets are not held up

        holder.Send(first, first.Length / 2, first.Length - first.Length / 2, SocketFlags.None);
        var fills = new List<byte>();
        for (int i = 0; i < Senders + 1; i++)
        {
            Assert.True(receiver.TryReceiveMessage(TimeSpan.FromSeconds(30), out var m), $"{i} of {Senders + 1} messages arrived");
            Assert.All(m!.Data, b => Assert.Equal(m.Data[0], b));
            fills.Add(m.Data[0]);
        }
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4, 0xF0 }, fills.Order());
        Assert.All(senders, t => Assert.True(t.Join(TimeSpan.FromSeconds(30))));
        Assert.All(answered, Assert.True);
    }

    [Fact]
    public void A_packet_larger_than_the_whole_budget_is_read_alone()
    {
        using var daemon = new DaemonFixture(new ClientLimits { LargePackets = 2 * Mib }, null);
        using var receiver = daemon.Connect();
        receiver.RegisterSrvid(Srvid);
        var senders = new[] { (byte)1, (byte)2 }.Select(fill => Start(() =>
        {
            using var c = daemon.Connect();
            c.SendMessage(0, Srvid, Data(5 * Mib, fill));
            c.GetPnn();
        })).ToList();
        var fills = new List<byte>();
        for (int i = 0; i < 2; i++)
        {
            Assert.True(receiver.TryReceiveMessage(TimeSpan.FromSeconds(30), out var m), $"{i} of 2 messages arrived");
            Assert.Equal(5 * Mib, m!.Data.Length);
            fills.Add(m.Data[^1]);
        }
        Assert.Equal(new byte[] { 1, 2 }, fills.Order());
        Assert.All(senders, t => Assert.True(t.Join(TimeSpan.FromSeconds(30))));
    }

    [Fact]
    public void A_client_that_stops_inside_a_large_packet_is_disconnected_once_others_wait_for_it()
    {
        var log = new LogLines();
        using var daemon = new DaemonFixture(new ClientLimits { LargePackets = 4 * Mib, LargePacketStall = TimeSpan.FromSeconds(1) }, log.Logger);
        using var receiver = daemon.Connect();
        receiver.RegisterSrvid(Srvid);
        var stuck = Message(3 * Mib, 0xEE);
        using var staller = RawConnect(daemon);
        staller.Send(stuck, 0, 2 * Mib, SocketFlags.None);

        // Alone, it may take its time.
        Thread.Sleep(2500);
        Assert.False(staller.Poll(0, SelectMode.SelectRead), "disconnected while nobody waited");

        var sender = Start(() =>
        {
            using var c = daemon.Connect();
            c.SendMessage(0, Srvid, Data(3 * Mib, 0x11));
        });
        Assert.True(receiver.TryReceiveMessage(TimeSpan.FromSeconds(15), out var m), "the waiting client's packet was never read");
        Assert.Equal(0x11, m!.Data[0]);
        Assert.Equal(0, ReadAll(staller, out bool closed));
        Assert.True(closed);
        Assert.Contains(log.Lines, l => l.Contains("sent nothing of its packet", StringComparison.Ordinal));
        Assert.True(sender.Join(TimeSpan.FromSeconds(10)));
    }
}
