// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;

namespace CtdbPcmk.Client;

/// <summary>One node of a GET_NODEMAP reply.</summary>
/// <param name="Pnn">Physical node number.</param>
/// <param name="Flags">Node flags (0x01 DISCONNECTED, 0x02 UNHEALTHY, 0x04 PERMANENTLY_DISABLED, 0x08 BANNED, 0x10 DELETED, 0x20 STOPPED).</param>
/// <param name="Address">The node's address and port, or null for an address family other than IPv4/IPv6.</param>
public sealed record NodeMapEntry(uint Pnn, uint Flags, IPEndPoint? Address)
{
    /// <summary>DELETED | DISCONNECTED | BANNED | STOPPED: such a node takes no part in the cluster.</summary>
    public const uint InactiveMask = 0x39;

    public bool IsInactive => (Flags & InactiveMask) != 0;
}
