// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;

namespace CtdbPcmk.Transport;

/// <summary>
/// A packet of megabytes leaves its buffers (the input buffer it grew through, an output queue
/// it filled) as garbage once handled, and the collector, paced by allocation, lets many of them
/// pile up before it runs: under a stream of large packets that garbage, far more than the
/// packets in flight, made the daemon's peak memory. Connections report every large buffer they
/// drop; once <see cref="Threshold"/> bytes of them are garbage, a full blocking collection
/// (not compacting: cheap on this small heap) frees them, at most once per
/// <see cref="MinInterval"/>, so the next large buffer reuses their memory instead of adding to
/// it. Ordinary traffic never drops a buffer this large and never pays for it.
/// </summary>
internal static class LargeBuffers
{
    /// <summary>Buffers from this size on are counted.</summary>
    public const int Large = 1024 * 1024;
    public const long Threshold = 8L * 1024 * 1024;
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(20);

    private static long _garbage;
    private static long _lastCollect;

    /// <summary>A buffer of <paramref name="length"/> bytes is no longer referenced.</summary>
    public static void Dropped(int length)
    {
        if (length < Large || Interlocked.Add(ref _garbage, length) < Threshold)
        {
            return;
        }
        long now = Stopwatch.GetTimestamp();
        long last = Interlocked.Read(ref _lastCollect);
        if (Stopwatch.GetElapsedTime(last, now) < MinInterval || Interlocked.CompareExchange(ref _lastCollect, now, last) != last)
        {
            return;
        }
        Interlocked.Exchange(ref _garbage, 0);
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
    }
}
