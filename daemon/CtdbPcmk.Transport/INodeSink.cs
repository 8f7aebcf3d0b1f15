// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Transport;

/// <summary>
/// What the node links report to the daemon's logic, and the little they need from it to
/// stamp keepalives. Every call happens on the loop thread.
/// </summary>
internal interface INodeSink
{
    /// <summary>One whole packet from node <paramref name="from"/>; a <see cref="CtdbPcmk.Protocol.ProtocolException"/> takes that link down.</summary>
    void OnNodePacket(uint from, ReadOnlySpan<byte> packet);

    /// <summary>The links to a node are up in both directions.</summary>
    void OnNodeConnected(uint pnn);

    /// <summary>A link to a node went down, or its keepalives stopped.</summary>
    void OnNodeDisconnected(uint pnn);

    /// <summary>Generation stamped on the keepalives this node sends.</summary>
    uint Generation { get; }

    /// <summary>Whole seconds since the daemon started (carried in keepalives).</summary>
    uint UptimeSeconds { get; }

    /// <summary>A keepalive went out (counted in the statistics).</summary>
    void KeepaliveSent();
}
