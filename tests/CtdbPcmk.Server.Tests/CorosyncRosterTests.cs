// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Server.Cluster;

namespace CtdbPcmk.Server.Tests;

/// <summary>Which nodes Corosync's membership holds off, from the group's announcements and departures.</summary>
public class CorosyncRosterTests
{
    private static byte[] From(uint pnn) => new CorosyncRoster(pnn).Announcement();

    [Fact]
    public void A_node_corosync_lost_is_held_off_until_its_daemon_announces_itself_again()
    {
        var roster = new CorosyncRoster(0);
        Assert.Null(roster.Delivered(11, From(1)));
        Assert.Null(roster.Delivered(12, From(2)));

        var held = roster.Left(12, nodeDown: true);
        Assert.Equal(2u, held?.Pnn);
        Assert.Contains("corosync node 12", held?.Reason);
        Assert.Equal([2u], roster.Held);
        Assert.Null(roster.Left(12, nodeDown: true)); // already held

        Assert.Null(roster.Delivered(11, From(1))); // another node's announcement changes nothing
        Assert.Equal(new CorosyncRoster.Change(2, null), roster.Delivered(12, From(2)));
        Assert.Empty(roster.Held);
    }

    [Fact]
    public void A_daemon_that_only_ended_or_an_unknown_node_is_not_held()
    {
        var roster = new CorosyncRoster(0);
        roster.Delivered(11, From(1));
        Assert.Null(roster.Left(11, nodeDown: false)); // its process ended: its links tell the rest
        Assert.Null(roster.Left(13, nodeDown: true)); // never announced: no PNN to hold
        Assert.Empty(roster.Held);
    }

    [Fact]
    public void This_node_is_never_held_and_stray_messages_are_ignored()
    {
        var roster = new CorosyncRoster(0);
        roster.Delivered(10, From(0));
        Assert.Null(roster.Left(10, nodeDown: true));
        Assert.Null(roster.Delivered(11, [1, 2, 3]));
        var wrongMagic = From(1);
        wrongMagic[0] ^= 0xff;
        Assert.Null(roster.Delivered(11, wrongMagic));
        Assert.Null(roster.Left(11, nodeDown: true)); // the stray message mapped nothing
        Assert.Empty(roster.Held);
    }

    [Fact]
    public void The_announcement_is_the_magic_then_the_pnn_little_endian()
    {
        Assert.Equal(new byte[] { 0x50, 0x4e, 0x4e, 0x31, 7, 0, 0, 0 }, new CorosyncRoster(7).Announcement());
    }
}
