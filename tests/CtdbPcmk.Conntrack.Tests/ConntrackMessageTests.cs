// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Net;
using CtdbPcmk.Conntrack.Tracker;

namespace CtdbPcmk.Conntrack.Tests;

/// <summary>The ctnetlink event reader, on messages laid out as the kernel sends them.</summary>
public sealed class ConntrackMessageTests
{
    [Fact]
    public void A_new_entry_is_an_opened_connection_from_the_original_tuple()
    {
        var message = EventBytes.Message(EventBytes.New, IPEndPoint.Parse("10.0.0.2:40000"), IPEndPoint.Parse("10.0.0.100:2049"));
        Assert.True(ConntrackMessage.TryRead(message, out var flow));
        Assert.Equal(FlowChange.Opened, flow.Change);
        Assert.Equal(IPEndPoint.Parse("10.0.0.2:40000"), flow.Client);
        Assert.Equal(IPEndPoint.Parse("10.0.0.100:2049"), flow.Server);
    }

    [Fact]
    public void IPv6_endpoints_are_read()
    {
        var message = EventBytes.Message(EventBytes.Destroy, IPEndPoint.Parse("[fd00::2]:40001"), IPEndPoint.Parse("[fd00::100]:445"));
        Assert.True(ConntrackMessage.TryRead(message, out var flow));
        Assert.Equal(FlowChange.Closed, flow.Change);
        Assert.Equal(IPEndPoint.Parse("[fd00::2]:40001"), flow.Client);
        Assert.Equal(IPEndPoint.Parse("[fd00::100]:445"), flow.Server);
    }

    [Theory]
    [InlineData(3, false)] // ESTABLISHED: still open
    [InlineData(2, false)] // SYN_RECV
    [InlineData(4, true)]  // FIN_WAIT
    [InlineData(5, true)]  // CLOSE_WAIT
    [InlineData(7, true)]  // TIME_WAIT
    [InlineData(8, true)]  // CLOSE (after a RST)
    public void An_update_counts_as_closed_only_from_FIN_WAIT_on(byte state, bool closed)
    {
        var message = EventBytes.Message(EventBytes.Update, IPEndPoint.Parse("10.0.0.2:40000"), IPEndPoint.Parse("10.0.0.100:2049"), tcpState: state);
        Assert.Equal(closed, ConntrackMessage.TryRead(message, out var flow));
        if (closed)
        {
            Assert.Equal(FlowChange.Closed, flow.Change);
        }
    }

    [Fact]
    public void Udp_and_other_subsystems_are_skipped()
    {
        var udp = EventBytes.Message(EventBytes.New, IPEndPoint.Parse("10.0.0.2:40000"), IPEndPoint.Parse("10.0.0.100:2049"), protocol: 17);
        Assert.False(ConntrackMessage.TryRead(udp, out _));
        var other = EventBytes.Message(EventBytes.New, IPEndPoint.Parse("10.0.0.2:40000"), IPEndPoint.Parse("10.0.0.100:2049"));
        BinaryPrimitives.WriteUInt16LittleEndian(other.AsSpan(4), 0x0200); // expectations subsystem
        Assert.False(ConntrackMessage.TryRead(other, out _));
    }

    [Fact]
    public void Truncated_or_garbled_messages_are_skipped_without_throwing()
    {
        var message = EventBytes.Message(EventBytes.New, IPEndPoint.Parse("10.0.0.2:40000"), IPEndPoint.Parse("10.0.0.100:2049"));
        for (int cut = 0; cut < message.Length; cut++)
        {
            var part = message[..cut];
            ConntrackMessage.ForEach(part, _ => { });
        }
        var random = new Random(7);
        for (int i = 0; i < 2000; i++)
        {
            var copy = (byte[])message.Clone();
            copy[random.Next(copy.Length)] = (byte)random.Next(256);
            ConntrackMessage.ForEach(copy, _ => { });
        }
    }

    [Fact]
    public void A_datagram_of_several_messages_yields_each()
    {
        var a = EventBytes.Message(EventBytes.New, IPEndPoint.Parse("10.0.0.2:1"), IPEndPoint.Parse("10.0.0.100:2049"));
        var b = EventBytes.Message(EventBytes.Destroy, IPEndPoint.Parse("10.0.0.3:2"), IPEndPoint.Parse("10.0.0.100:2049"));
        var seen = new List<FlowEvent>();
        Assert.Equal(2, ConntrackMessage.ForEach([.. a, .. b], seen.Add));
        Assert.Equal([FlowChange.Opened, FlowChange.Closed], seen.Select(f => f.Change));
    }
}
