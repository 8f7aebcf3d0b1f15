// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Cluster;
using CtdbPcmk.Server.Controls;

namespace CtdbPcmk.Server.Recovery;

/// <summary>Controls a recovery sends to several nodes at once, awaited on the loop thread.</summary>
internal sealed class RecoveryControls(NodeLinks links, TunableSettings tunables)
{
    /// <summary>Sends a control to one node and completes with its reply (RecoverTimeout).</summary>
    public Task<ControlReply> NodeControlAsync(uint pnn, ControlOpcode opcode, ulong srvid, byte[] data)
    {
        var done = new TaskCompletionSource<ControlReply>();
        links.SendControl(pnn, opcode, srvid, data, r => done.TrySetResult(r), TimeSpan.FromSeconds(Math.Max(1u, tunables.Get("RecoverTimeout"))));
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
