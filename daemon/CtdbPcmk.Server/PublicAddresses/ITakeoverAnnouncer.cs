// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Server.PublicAddresses;

/// <summary>Puts one takeover announcement round on the wire (kept apart so the table holds no sockets).</summary>
internal interface ITakeoverAnnouncer
{
    /// <summary>
    /// Round <paramref name="round"/> (0-based) for <paramref name="address"/>: a gratuitous ARP or
    /// unsolicited neighbour advertisement on <paramref name="iface"/> (skipped when null), then a
    /// tickle ACK from the server end to every client. Failures are logged, never thrown.
    /// </summary>
    void SendRound(string? iface, IPAddress address, IReadOnlyList<CtdbConnection> connections, int round);
}
