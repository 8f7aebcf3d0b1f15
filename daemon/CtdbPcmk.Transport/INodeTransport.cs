// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Transport;

/// <summary>
/// Links to the other nodes of the cluster. Runs on the daemon's loop thread and reports back
/// to an <see cref="INodeSink"/>.
/// </summary>
internal interface INodeTransport : IDisposable
{
    /// <summary>Starts listening and connecting to every other node.</summary>
    void Start();

    /// <summary>Queues one whole packet to a node; false when there is no link to it.</summary>
    bool Send(uint pnn, ReadOnlySpan<byte> packet);

    /// <summary>Bytes queued to a node and not yet written to its socket (0 without a link).</summary>
    long QueuedTo(uint pnn);

    /// <summary>How many packets have arrived from a node so far (a sign of life, whatever they are).</summary>
    long PacketsFrom(uint pnn);

    /// <summary>Takes the links to a node down as lost (the daemon hears of it as a disconnection) and reconnects later.</summary>
    void Drop(uint pnn, string reason);

    /// <summary>
    /// Holds a node off while <paramref name="reason"/> is not null: its links are taken down as
    /// lost, none is made to it and none it opens is taken. Null lets it link again at once.
    /// </summary>
    void Hold(uint pnn, string? reason);
}
