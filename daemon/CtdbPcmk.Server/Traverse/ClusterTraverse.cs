// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Server.Clients;
using CtdbPcmk.Transport;

namespace CtdbPcmk.Server.Traverse;

/// <summary>
/// A client's traverse as the node it asked sees it: records arrive from every traversing node
/// under <see cref="Handle"/> and go on to the client; it ends after one end marker per node,
/// or at the timeout.
/// </summary>
internal sealed class ClusterTraverse
{
    public ClusterTraverse(ClientConnection client, LocalTraverse request, uint handle, int nodes)
    {
        Client = client;
        Request = request;
        Handle = handle;
        EndsLeft = nodes;
    }

    public ClientConnection Client { get; }

    /// <summary>What the client asked for (its reqid and srvid); cancelled when the client goes.</summary>
    public LocalTraverse Request { get; }

    /// <summary>The reqid in TRAVERSE_ALL and in every TRAVERSE_DATA record sent back for it.</summary>
    public uint Handle { get; }

    /// <summary>Nodes that have not sent their end marker yet.</summary>
    public int EndsLeft { get; set; }

    public LoopTimer? Timeout { get; set; }
}
