// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Cluster;
using CtdbPcmk.Server.Controls;
using CtdbPcmk.Transport;

namespace CtdbPcmk.Server.Recovery;

/// <summary>
/// Controls a recovery sends to several nodes at once, awaited on the loop thread. This node's
/// own control runs in a later turn of the loop, after the other nodes' requests have left: a
/// local control runs on the loop thread, and a long one (a pull, a commit) would otherwise hold
/// the others' requests back until it is done, so that the nodes worked one after the other.
/// </summary>
internal sealed class RecoveryControls(NodeLinks links, ClusterState cluster, EventLoop loop, TunableSettings tunables)
{
    /// <summary>Sends a control to one node and completes with its reply (RecoverTimeout).</summary>
    public Task<ControlReply> NodeControlAsync(uint pnn, ControlOpcode opcode, ulong srvid, byte[] data)
    {
        var done = new TaskCompletionSource<ControlReply>();
        var timeout = TimeSpan.FromSeconds(Math.Max(1u, tunables.Get("RecoverTimeout")));
        if (IsSelf(pnn))
        {
            loop.Post(() => links.SendControl(pnn, opcode, srvid, data, r => done.TrySetResult(r), timeout));
        }
        else
        {
            links.SendControl(pnn, opcode, srvid, data, r => done.TrySetResult(r), timeout);
        }
        return done.Task;
    }

    /// <summary>The node is this one.</summary>
    public bool IsSelf(uint pnn) => pnn == cluster.Pnn || pnn == WireFormat.CurrentNode;

    /// <summary>
    /// Calls <paramref name="each"/> for items 0 to <paramref name="count"/> - 1 a few at a time, one batch per
    /// turn of the loop, and completes when all are done. Between batches the loop goes on
    /// writing what is queued for the other nodes (a push of a large database is far more than a
    /// socket buffer holds), so they receive while this node works.
    /// </summary>
    public Task InTurns(int count, int perTurn, Action<int> each)
        => Pump(count, TimeSpan.Zero, startNow: false, sent => sent < perTurn, each);

    /// <summary>
    /// Sends <paramref name="count"/> items (<paramref name="each"/> sends one) to another node, at most <see cref="PushWindow"/> bytes
    /// queued to it at a time (a push to many nodes would otherwise hold a copy of the database
    /// per node in this daemon's memory); completes when the last is queued.
    /// </summary>
    public Task Paced(uint pnn, int count, Action<int> each) =>
        Pump(count, TimeSpan.FromMilliseconds(1), startNow: true, _ => links.QueuedTo(pnn) < PushWindow, each);

    /// <summary>Bytes a push may have queued to one node before it waits for them to leave.</summary>
    public const long PushWindow = 16L << 20;

    /// <summary>
    /// Hands out items one turn of the loop at a time: a turn goes on while <paramref name="mayGo"/>
    /// (given the items of this turn so far) allows, the next comes <paramref name="pause"/> later.
    /// </summary>
    private Task Pump(int count, TimeSpan pause, bool startNow, Func<int, bool> mayGo, Action<int> each)
    {
        var done = new TaskCompletionSource();
        int next = 0;
        void Turn()
        {
            try
            {
                int sent = 0;
                do
                {
                    each(next++);
                    sent++;
                }
                while (next < count && mayGo(sent));
            }
            catch (Exception e)
            {
                done.TrySetException(e);
                return;
            }
            if (next < count)
            {
                loop.AddTimer(pause, Turn);
            }
            else
            {
                done.TrySetResult();
            }
        }
        if (count == 0)
        {
            done.TrySetResult();
        }
        else if (startNow)
        {
            Turn();
        }
        else
        {
            loop.AddTimer(pause, Turn);
        }
        return done.Task;
    }

    /// <summary>Sends a control to every node at once and collects the replies.</summary>
    public async Task<Dictionary<uint, ControlReply>> AllNodesAsync(IEnumerable<uint> nodes, ControlOpcode opcode, ulong srvid, byte[] data)
    {
        var pending = nodes.Select(pnn => (pnn, NodeControlAsync(pnn, opcode, srvid, data))).ToList();
        var replies = new Dictionary<uint, ControlReply>();
        foreach (var (pnn, task) in pending)
        {
            replies[pnn] = await task;
        }
        return replies;
    }

    /// <summary>As <see cref="AllNodesAsync"/>; any failure abandons the recovery.</summary>
    public async Task<Dictionary<uint, ControlReply>> AllOkAsync(IEnumerable<uint> nodes, ControlOpcode opcode, ulong srvid, byte[] data)
    {
        var replies = await AllNodesAsync(nodes, opcode, srvid, data);
        foreach (var (pnn, reply) in replies)
        {
            if (reply.Status != 0)
            {
                throw new RecoveryAbortedException($"{opcode} failed on node {pnn}: {reply.Error ?? reply.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)}", pnn);
            }
        }
        return replies;
    }
}
