// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text;
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Recovery;

namespace CtdbPcmk.Server.Tests;

public class RecordMergerTests
{
    private static byte[] Data(ulong rsn, uint dmaster, string value, uint flags = 0)
    {
        var v = Encoding.UTF8.GetBytes(value);
        var d = new byte[LtdbHeader.Size + v.Length];
        new LtdbHeader(rsn, dmaster, flags).Write(d);
        v.CopyTo(d, LtdbHeader.Size);
        return d;
    }

    private static Dictionary<string, (LtdbHeader Header, string Value)> Pushed(RecordMerger m) =>
        m.Output().ToDictionary(r => Encoding.UTF8.GetString(r.Key), r => (r.Header, Encoding.UTF8.GetString(r.Value)));

    [Fact]
    public void Volatile_keeps_the_highest_rsn_and_makes_the_leader_dmaster()
    {
        var m = new RecordMerger(isVolatile: true, leader: 0);
        m.Add("k"u8, Data(3, 2, "old"));
        m.Add("k"u8, Data(7, 1, "new", LtdbHeader.FlagRoHaveDelegations));
        m.Add("k"u8, Data(5, 2, "older"));
        var r = Pushed(m)["k"];
        Assert.Equal("new", r.Value);
        Assert.Equal(7ul, r.Header.Rsn);
        Assert.Equal(0u, r.Header.Dmaster);
        Assert.Equal(LtdbHeader.FlagMigratedWithData, r.Header.Flags);
    }

    [Fact]
    public void A_deletion_with_the_highest_rsn_wins_and_nothing_is_pushed_for_it()
    {
        var m = new RecordMerger(isVolatile: true, leader: 0);
        m.Add("gone"u8, Data(4, 2, "stale copy"));
        m.Add("gone"u8, Data(9, 1, ""));
        m.Add("gone"u8, Data(6, 2, "another stale copy"));
        Assert.Empty(Pushed(m));
        var buffers = m.ToBuffers(7, 1024);
        Assert.Single(buffers);
        Assert.Equal(0, RecBuffer.Read(buffers[0]).Count);
    }

    [Fact]
    public void Rsn_tie_keeps_the_first_copy_unless_it_names_the_leader()
    {
        var m = new RecordMerger(isVolatile: true, leader: 0);
        m.Add("a"u8, Data(5, 1, "first"));
        m.Add("a"u8, Data(5, 2, "second"));
        m.Add("b"u8, Data(5, 0, "leader's"));
        m.Add("b"u8, Data(5, 2, "other"));
        var r = Pushed(m);
        Assert.Equal("first", r["a"].Value);
        Assert.Equal("other", r["b"].Value);
    }

    [Fact]
    public void Persistent_keeps_every_record_of_its_source_with_deletions_and_headers()
    {
        var m = new RecordMerger(isVolatile: false, leader: 0);
        m.Add("__db_sequence_number__\0"u8, Data(3, 1, "12345678"));
        m.Add("deleted"u8, Data(4, 1, ""));
        m.Add("kept"u8, Data(2, 2, "v"));
        var r = Pushed(m);
        Assert.Equal(3, r.Count);
        Assert.Equal("", r["deleted"].Value);
        Assert.Equal(new LtdbHeader(2, 2, 0), r["kept"].Header);
    }

    [Fact]
    public void Buffers_respect_the_size_limit_and_hold_every_record()
    {
        var m = new RecordMerger(isVolatile: true, leader: 1);
        for (int i = 0; i < 100; i++)
        {
            m.Add(Encoding.UTF8.GetBytes($"key{i}"), Data(1, 0, new string('x', 50)));
        }
        var buffers = m.ToBuffers(9, 1000);
        Assert.True(buffers.Count > 5);
        Assert.All(buffers, b => Assert.True(b.Length <= 1000));
        Assert.Equal(100, buffers.Sum(b => RecBuffer.Read(b).Count));
        Assert.All(buffers, b => Assert.Equal(9u, RecBuffer.Read(b).DbId));
    }

    [Fact]
    public void A_push_hands_every_node_the_same_buffers_whatever_their_pace()
    {
        var m = new RecordMerger(isVolatile: true, leader: 1);
        for (int i = 0; i < 100; i++)
        {
            m.Add(Encoding.UTF8.GetBytes($"key{i}"), Data(1, 0, new string('x', 50)));
        }
        var expected = m.ToBuffers(9, 1000);
        var push = m.Push(9, 1000);
        Assert.Equal(expected.Count, push.Count);
        Assert.Equal(100u, push.Records);
        var fanout = new PushFanout(push, 3);
        var got = new List<byte[]>[] { [], [], [] };
        // Node 0 takes everything first, node 2 half, node 1 all, then node 2 the rest.
        for (int i = 0; i < push.Count; i++)
        {
            got[0].Add(fanout.Next(0));
        }
        for (int i = 0; i < push.Count / 2; i++)
        {
            got[2].Add(fanout.Next(2));
        }
        for (int i = 0; i < push.Count; i++)
        {
            got[1].Add(fanout.Next(1));
        }
        while (got[2].Count < push.Count)
        {
            got[2].Add(fanout.Next(2));
        }
        foreach (var node in got)
        {
            Assert.Equal(expected.Count, node.Count);
            Assert.All(expected.Zip(node), pair => Assert.Equal(pair.First, pair.Second));
        }
    }

    [Fact]
    public void Only_nodes_with_the_latest_recovery_epoch_are_trusted()
    {
        var epochs = new Dictionary<uint, ulong> { [0] = RecoverySources.Epoch(3, 2), [1] = RecoverySources.Epoch(3, 2), [2] = RecoverySources.Epoch(3, 1) };
        Assert.Equal(new HashSet<uint> { 0, 1 }, RecoverySources.Trusted(epochs));
        // A later term outranks any number of recoveries in an earlier one.
        Assert.True(RecoverySources.Epoch(4, 1) > RecoverySources.Epoch(3, 1000));
    }

    [Fact]
    public void Persistent_source_is_the_trusted_node_with_the_highest_seqnum()
    {
        var seq = new Dictionary<uint, ulong> { [0] = 7, [1] = 7, [2] = 20 };
        Assert.Equal(0u, RecoverySources.SeqnumSource(seq, new HashSet<uint> { 0, 1 }));
        Assert.Equal(2u, RecoverySources.SeqnumSource(seq, new HashSet<uint> { 0, 1, 2 }));
        Assert.Equal(2u, RecoverySources.SeqnumSource(new Dictionary<uint, ulong> { [2] = 1 }, new HashSet<uint> { 0 }));
        Assert.Null(RecoverySources.SeqnumSource(new Dictionary<uint, ulong>(), new HashSet<uint> { 0 }));
    }
}
