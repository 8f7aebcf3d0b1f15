// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;

namespace CtdbPcmk.Conntrack.Tracker;

/// <summary>What a conntrack event says of a TCP connection.</summary>
internal enum FlowChange
{
    /// <summary>A new connection (the client's SYN was seen).</summary>
    Opened,
    /// <summary>The connection is closing or gone (FIN, RST, or the entry was destroyed).</summary>
    Closed,
}

/// <summary>
/// One TCP conntrack event in the original direction: <see cref="Client"/> opened the connection
/// to <see cref="Server"/>.
/// </summary>
internal readonly record struct FlowEvent(FlowChange Change, IPEndPoint Client, IPEndPoint Server);
