// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Server.Cluster;

namespace CtdbPcmk.Server.Tests;

public class LeadershipTests
{
    [Fact]
    public void A_node_accepts_one_leader_per_term_and_only_newer_terms()
    {
        var node = new Leadership(2);
        Assert.True(node.Consider(1, 0));
        Assert.True(node.Consider(1, 0));       // the same claim again
        Assert.False(node.Consider(1, 1));      // another leader, same term
        Assert.True(node.Consider(2, 1));
        Assert.False(node.Consider(1, 0));      // an older term
        Assert.Equal(2u, node.Term);
        Assert.Equal(1u, node.Leader);
    }

    [Fact]
    public void Taking_the_role_claims_above_every_term_seen_and_a_newer_claim_ends_it()
    {
        var a = new Leadership(0);
        a.Consider(5, 1);
        uint term = a.Take();
        Assert.Equal(6u, term);
        Assert.True(a.IsLeader);
        a.Seen(9);                               // a refusal told of term 9
        Assert.Equal(10u, a.Raise());
        Assert.True(a.Consider(11, 2));
        Assert.False(a.IsLeader);
        Assert.False(a.Wanted);
    }

    [Fact]
    public void Recovery_controls_are_obeyed_only_from_the_leader_with_its_term()
    {
        var node = new Leadership(1);
        Assert.False(node.IsFromLeader(0, Leadership.TagOf(0)));
        node.Consider(3, 0);
        Assert.True(node.IsFromLeader(0, Leadership.TagOf(3)));
        Assert.False(node.IsFromLeader(0, Leadership.TagOf(2)));  // a stale run of the same leader
        Assert.False(node.IsFromLeader(2, Leadership.TagOf(3)));  // another node
        Assert.False(node.IsFromLeader(0, 0));                     // untagged (a forwarded client control)
        node.Consider(4, 2);
        Assert.False(node.IsFromLeader(0, Leadership.TagOf(3)));
        Assert.True(node.IsFromLeader(2, Leadership.TagOf(4)));
    }

    [Fact]
    public void Released_role_keeps_the_term_so_the_next_leader_goes_higher()
    {
        var a = new Leadership(0);
        a.Take();
        a.Release();
        Assert.False(a.IsLeader);
        Assert.False(a.Consider(1, 1));
        Assert.True(a.Consider(2, 1));
        Assert.Equal(1u, a.Leader);
    }
}
