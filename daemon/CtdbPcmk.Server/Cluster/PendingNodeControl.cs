// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Server.Controls;
using CtdbPcmk.Transport;

namespace CtdbPcmk.Server.Cluster;

/// <summary>A control this daemon sent to another node and whose reply it awaits.</summary>
internal sealed class PendingNodeControl(uint pnn, Action<ControlReply> done, long sent)
{
    public uint Pnn { get; } = pnn;

    /// <summary>When it was sent (loop timestamp).</summary>
    public long Sent { get; } = sent;

    public Action<ControlReply> Done { get; } = done;
    public LoopTimer? Timeout { get; set; }
}
