// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server;

/// <summary>
/// Gives the memory of a burst back once the burst is over. The garbage collector collects
/// when allocation asks it to; a daemon that goes quiet after a burst (a storm of clients, a
/// large traverse, a malformed-packet flood) allocates nothing more, so the burst's garbage, much
/// of it large buffers, would stay committed until the next busy period. Once a second the
/// daemon's tick asks: if at least <see cref="BurstBytes"/> were allocated since the last full
/// collection and the last second was quiet (under <see cref="QuietBytes"/>), one blocking,
/// compacting full collection that returns free memory to the system runs. A busy daemon is
/// left to the collector's own pacing; an idle one is not collected at all.
/// </summary>
internal sealed class HeapReturn(Serilog.ILogger log)
{
    public const long BurstBytes = 32L * 1024 * 1024;
    public const long QuietBytes = 1L * 1024 * 1024;

    private long _atLastCollect = GC.GetTotalAllocatedBytes();
    private long _atLastTick = GC.GetTotalAllocatedBytes();

    /// <summary>Full collections this has run.</summary>
    public int Collections { get; private set; }

    /// <summary>Once a second, on the loop thread.</summary>
    public void Tick()
    {
        long allocated = GC.GetTotalAllocatedBytes();
        long lastSecond = allocated - _atLastTick;
        _atLastTick = allocated;
        if (allocated - _atLastCollect < BurstBytes || lastSecond >= QuietBytes)
        {
            return;
        }
        long burst = allocated - _atLastCollect;
        long before = Environment.WorkingSet;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _atLastCollect = _atLastTick = GC.GetTotalAllocatedBytes();
        Collections++;
        log.Debug("Burst over ({Allocated} bytes allocated since the last full collection): collected, working set {Before} -> {After} bytes",
            burst, before, Environment.WorkingSet);
    }
}
