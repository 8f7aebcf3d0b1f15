// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Server.Calls;
using CtdbPcmk.Transport;

namespace CtdbPcmk.Server.Cluster;

/// <summary>
/// Finds a hung node (a SIGSTOPped daemon, a host that froze without closing its sockets) from
/// what waits on it, long before keepalives would (KeepaliveInterval × KeepaliveLimit, 25 s by
/// default): once a second, when a call or control sent to another node has waited
/// <see cref="StallAfter"/>, every connected node is probed, and one from which nothing at all
/// arrives within <see cref="ProbeWait"/> is dropped, so the leader recovers without it and the
/// callers go on. Calls take milliseconds; a live node, however busy, answers a probe (or sends
/// anything) within the wait, so a slow record lock or recovery costs a probe and nothing more.
/// Probes are at most one per <see cref="ProbeInterval"/>.
/// </summary>
internal sealed class StalledRequestWatch(NodeLinks links, CallEngine calls, EventLoop loop, Serilog.ILogger log)
{
    public static readonly TimeSpan StallAfter = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan ProbeWait = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(5);

    private long _lastProbe = long.MinValue;

    /// <summary>Once a second, from the daemon's tick.</summary>
    public void Tick()
    {
        long now = loop.Now;
        long frequency = loop.Time.TimestampFrequency;
        if (_lastProbe != long.MinValue && now - _lastProbe < (long)(ProbeInterval.TotalSeconds * frequency))
        {
            return;
        }
        long? oldest = Oldest(calls.OldestPending, links.OldestPendingSent());
        if (oldest is not { } since || now - since < (long)(StallAfter.TotalSeconds * frequency))
        {
            return;
        }
        _lastProbe = now;
        double waited = (now - since) / (double)frequency;
        log.Information("A request to another node has waited {Seconds:F1} s: probing every node", waited);
        links.ProbePeers($"a request waited {waited:F1} s", ProbeWait);
    }

    private static long? Oldest(long? a, long? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);
}
