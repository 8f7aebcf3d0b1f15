// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;

namespace CtdbPcmk.Conntrack.Tracker;

/// <summary>What the tracker has done since it started.</summary>
internal sealed class TrackerCounters
{
    /// <summary>Netlink messages read.</summary>
    public long Messages { get; set; }

    /// <summary>Connections to tracked addresses and ports that opened.</summary>
    public long Opened { get; set; }

    /// <summary>Known connections that closed.</summary>
    public long Closed { get; set; }

    /// <summary>Changes written to the daemon.</summary>
    public long Committed { get; set; }

    /// <summary>Controls that carried them.</summary>
    public long Commits { get; set; }

    /// <summary>Open connections forgotten at the limit.</summary>
    public long Forgotten { get; set; }

    /// <summary>Times the kernel dropped events.</summary>
    public long Overruns { get; set; }

    /// <summary>How long the first tickle round of the last reset-client took.</summary>
    public TimeSpan LastTickleRound { get; set; }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"messages={Messages} opened={Opened} closed={Closed} committed={Committed} commits={Commits} forgotten={Forgotten} overruns={Overruns} last_tickle_round_ms={LastTickleRound.TotalMilliseconds:F1}");
}
