// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using CtdbPcmk.Conntrack.Tracker;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Conntrack.Tests;

public sealed class ConnectionTableTests
{
    private static CtdbConnection C(int port) => new(new IPEndPoint(IPAddress.Parse("10.0.0.2"), port), IPEndPoint.Parse("10.0.0.100:2049"));

    [Fact]
    public void A_connection_opened_and_closed_within_one_interval_is_never_written()
    {
        var t = new ConnectionTable(100);
        Assert.True(t.Open(C(1)));
        Assert.True(t.Close(C(1)));
        Assert.Empty(t.TakePending());
    }

    [Fact]
    public void Committed_connections_are_removed_when_they_close()
    {
        var t = new ConnectionTable(100);
        t.Open(C(1));
        t.Open(C(2));
        Assert.Equal([true, true], t.TakePending().Select(c => c.Added));
        t.Close(C(1));
        Assert.False(t.Close(C(1)));
        Assert.Equal([new TcpChange(C(1), false)], t.TakePending());
        Assert.Equal(1, t.Count);
    }

    [Fact]
    public void Past_the_limit_the_oldest_are_forgotten_and_counted()
    {
        var t = new ConnectionTable(10);
        for (int i = 1; i <= 25; i++)
        {
            t.Open(C(i));
            if (i % 3 == 0)
            {
                t.Close(C(i - 1));
            }
        }
        Assert.Equal(10, t.Count);
        Assert.True(t.TakeForgotten() > 0);
        Assert.True(t.Contains(C(25)));
        Assert.False(t.Contains(C(1)));
        Assert.True(t.PendingCount <= 10);
    }

    [Fact]
    public void A_written_connection_forgotten_at_the_limit_leaves_the_daemons_list_too()
    {
        var t = new ConnectionTable(3);
        t.Open(C(1));
        t.Open(C(2));
        t.Open(C(3));
        t.TakePending();
        t.Open(C(4));
        // C(1) was written: it goes from the daemon's list, for its close will not be seen here.
        Assert.Equal([new TcpChange(C(4), true), new TcpChange(C(1), false)], t.TakePending().OrderBy(c => c.Added ? 0 : 1));
        Assert.Equal(1, t.TakeForgotten());
    }

    [Fact]
    public void A_connection_forgotten_before_it_was_written_is_simply_dropped()
    {
        var t = new ConnectionTable(2);
        t.Open(C(1));
        t.Open(C(2));
        t.Open(C(3));
        Assert.Equal([2, 3], t.TakePending().Select(c => c.Connection.Source.Port).Order());
        Assert.Equal(1, t.TakeForgotten());
    }

    [Fact]
    public void Too_many_unwritten_changes_ask_for_a_resync_instead_of_growing()
    {
        var t = new ConnectionTable(5);
        for (int i = 1; i <= 5; i++)
        {
            t.Open(C(i));
        }
        t.TakePending();
        // Closing committed connections piles up removals; reopening new ones adds more.
        for (int i = 1; i <= 5; i++)
        {
            t.Close(C(i));
            t.Open(C(100 + i));
        }
        Assert.True(t.NeedsResync);
        Assert.True(t.PendingCount <= 5);
    }

    [Fact]
    public void Forgetting_an_address_drops_its_connections_without_writing()
    {
        var t = new ConnectionTable(100);
        t.Open(C(1));
        t.Open(new CtdbConnection(IPEndPoint.Parse("10.0.0.2:5"), IPEndPoint.Parse("10.0.0.101:2049")));
        Assert.Equal(1, t.Forget(IPAddress.Parse("10.0.0.100")));
        Assert.Single(t.TakePending());
        Assert.Equal(1, t.Count);
    }
}
