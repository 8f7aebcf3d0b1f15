// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;

namespace CtdbPcmk.Server.PublicAddresses;

// Takeover announcements: rounds of neighbour update plus tickle ACKs, driven by loop timers.
internal sealed partial class PublicAddressTable
{
    /// <summary>Announcement rounds after a takeover, as ctdbd's CTDB_ARP_REPEAT.</summary>
    public const int AnnouncementRounds = 3;

    /// <summary>
    /// Spacing of the rounds: Linux answers an out-of-window segment at most once per 500 ms per
    /// socket (tcp_invalid_ratelimit), so closer tickles would be swallowed.
    /// </summary>
    public static readonly TimeSpan RoundInterval = TimeSpan.FromMilliseconds(510);

    /// <summary>Announcement rounds sent for the address's current takeover; -1 for an unknown address.</summary>
    public int RoundsSent(IPAddress address) =>
        _addresses.TryGetValue(Canonical(address), out var entry) ? entry.RoundsSent : -1;

    private void StartAnnouncing(PublicAddress entry)
    {
        entry.StopAnnouncing();
        entry.RoundsSent = 0;
        SendRound(entry);
    }

    private void SendRound(PublicAddress entry)
    {
        entry.NextRound = null;
        if (entry.Holder != Self)
        {
            return;
        }
        _announcer.SendRound(entry.Interface, entry.Address, entry.Connections.ToArray(), entry.RoundsSent);
        entry.RoundsSent++;
        if (entry.RoundsSent < AnnouncementRounds)
        {
            entry.NextRound = _host.AddTimer(RoundInterval, () => SendRound(entry));
        }
    }
}
