// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Cluster;
using CtdbPcmk.Server.Controls;

namespace CtdbPcmk.Server.Tests;

/// <summary>Leadership on three in-process nodes: the role moves only forward in terms and a former leader cannot act.</summary>
public class ClusterLeaderTests
{
    [Fact]
    public void Taking_the_role_recovers_every_node_into_one_generation()
    {
        using var cluster = new MemoryCluster(3);
        using (var c = cluster.Connect(0))
        {
            c.SetLeaderRole(true);
        }
        var states = cluster.WaitRecovered(0);
        Assert.All(states, s => Assert.Equal(states[0].Term, s.Term));
        using var c1 = cluster.Connect(1);
        var map = c1.Control(ControlOpcode.GetVnnMap, WireFormat.CurrentNode, default);
        Assert.Equal(new uint[] { 0, 1, 2 }, VnnMap.Read(map.Data).Map);
        Assert.All(cluster.Running, p => Assert.Equal(RecoveryMode.Normal, cluster.State(p).RecoveryMode));
    }

    [Fact]
    public void A_new_leader_supersedes_the_old_one_which_can_no_longer_act()
    {
        using var cluster = new MemoryCluster(3);
        using (var c = cluster.Connect(0))
        {
            c.SetLeaderRole(true);
        }
        uint oldTerm = cluster.WaitRecovered(0)[0].Term;
        using (var c = cluster.Connect(1))
        {
            c.SetLeaderRole(true); // node 0 still holds the role
        }
        var states = cluster.WaitRecovered(1);
        Assert.All(states, s => Assert.True(s.Term > oldTerm));
        Assert.False(cluster.OnLoop(0, d => d.IsLeaderNow));

        // Recovery controls of the old term, or from the old leader, are refused everywhere.
        foreach (uint target in new uint[] { 0, 2 })
        {
            var reply = SendFrom(cluster, 0, target, ControlOpcode.SetRecMode, Leadership.TagOf(oldTerm), U32(0));
            Assert.NotEqual(0, reply.Status);
            reply = SendFrom(cluster, 0, target, ControlOpcode.DbFreeze, Leadership.TagOf(states[0].Term), U32(1));
            Assert.NotEqual(0, reply.Status);
        }
        // A claim of the old term is refused with the newer term.
        var claim = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(claim, oldTerm);
        var refused = SendFrom(cluster, 0, 2, ControlOpcode.PcmkClaimLeader, 0, claim);
        Assert.Equal(-1, refused.Status);
        Assert.Equal(states[0].Term, BinaryPrimitives.ReadUInt32LittleEndian(refused.Data));
    }

    [Fact]
    public void Competing_takes_never_give_one_generation_two_leaders()
    {
        using var cluster = new MemoryCluster(3);
        using (var c0 = cluster.Connect(0))
        using (var c1 = cluster.Connect(1))
        {
            c0.SetLeaderRole(true);
            c1.SetLeaderRole(true); // while node 0's first recovery is running
        }
        var states = cluster.WaitRecovered(1);
        Assert.False(cluster.OnLoop(0, d => d.IsLeaderNow));
        var seen = new Dictionary<uint, (uint Leader, uint Term)>();
        foreach (uint pnn in cluster.Running)
        {
            foreach (var (generation, leader, term) in cluster.OnLoop(pnn, d => d.AcceptedVnnMaps.ToArray()))
            {
                if (seen.TryGetValue(generation, out var first))
                {
                    Assert.Equal(first, (leader, term));
                }
                seen[generation] = (leader, term);
            }
        }
        Assert.Equal((1u, states[0].Term), seen[states[0].Generation]);
    }

    [Fact]
    public void Losing_a_node_recovers_without_it_and_its_return_recovers_with_it()
    {
        using var cluster = new MemoryCluster(3);
        using (var c = cluster.Connect(0))
        {
            c.SetLeaderRole(true);
        }
        uint first = cluster.WaitRecovered(0)[0].Generation;
        cluster.Kill(2);
        var states = cluster.WaitRecovered(0);
        Assert.NotEqual(first, states[0].Generation);
        using (var c = cluster.Connect(1))
        {
            Assert.Equal(new uint[] { 0, 1 }, VnnMap.Read(c.Control(ControlOpcode.GetVnnMap, WireFormat.CurrentNode, default).Data).Map);
            var flags = c.GetNodeMap()[2].Flags;
            Assert.NotEqual(0u, flags & NodeFlags.Disconnected);
        }
        cluster.Start(2);
        states = cluster.WaitRecovered(0);
        Assert.Equal(3, states.Length);
        using (var c = cluster.Connect(2))
        {
            Assert.Equal(new uint[] { 0, 1, 2 }, VnnMap.Read(c.Control(ControlOpcode.GetVnnMap, WireFormat.CurrentNode, default).Data).Map);
        }
    }

    private static ControlReply SendFrom(MemoryCluster cluster, uint from, uint to, ControlOpcode opcode, ulong srvid, byte[] data)
    {
        var done = new TaskCompletionSource<ControlReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        var d = cluster[from];
        d.PostToLoop(() => d.SendNodeControl(to, opcode, srvid, data, r => done.TrySetResult(r)));
        Assert.True(done.Task.Wait(TimeSpan.FromSeconds(10)), $"no reply to {opcode} from node {to}");
        return done.Task.Result;
    }

    private static byte[] U32(uint v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        return b;
    }
}
