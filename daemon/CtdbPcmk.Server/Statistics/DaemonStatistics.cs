// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Controls;

namespace CtdbPcmk.Server.Statistics;

/// <summary>
/// The daemon's counters (STATISTICS, STATISTICS_RESET) and times (UPTIME). Subsystems count
/// into <see cref="Counters"/>; nothing reads the counters but the controls here.
/// </summary>
internal sealed class DaemonStatistics
{
    private readonly TimeProvider _time;
    private DateTimeOffset _lastRecoveryStarted;
    private DateTimeOffset _lastRecoveryFinished;

    public DaemonStatistics(TimeProvider time)
    {
        _time = time;
        StartTime = time.GetUtcNow();
        _lastRecoveryStarted = StartTime;
        _lastRecoveryFinished = StartTime;
        Counters = new CtdbStatistics { StatisticsStartTime = Timeval.FromDateTimeOffset(StartTime) };
    }

    public DateTimeOffset StartTime { get; }

    /// <summary>The counters, replaced by a fresh set on STATISTICS_RESET.</summary>
    public CtdbStatistics Counters { get; private set; }

    /// <summary>Whole seconds since the daemon started.</summary>
    public uint UptimeSeconds => (uint)Math.Max(0, (_time.GetUtcNow() - StartTime).TotalSeconds);

    /// <summary>START_RECOVERY arrived from the leader.</summary>
    public void RecoveryStarted()
    {
        _lastRecoveryStarted = _time.GetUtcNow();
        Counters.NumRecoveries++;
    }

    /// <summary>A recovery ended on this node (or the node started as its own cluster).</summary>
    public void RecoveryFinished() => _lastRecoveryFinished = _time.GetUtcNow();

    public ControlReply UptimeReply()
    {
        var uptime = new Uptime(
            Timeval.FromDateTimeOffset(_time.GetUtcNow()),
            Timeval.FromDateTimeOffset(StartTime),
            Timeval.FromDateTimeOffset(_lastRecoveryStarted),
            Timeval.FromDateTimeOffset(_lastRecoveryFinished));
        var data = new byte[Uptime.Size];
        uptime.Write(data);
        return ControlReply.WithData(data);
    }

    public ControlReply Reply(int clients, bool recovering)
    {
        Counters.StatisticsCurrentTime = Timeval.FromDateTimeOffset(_time.GetUtcNow());
        Counters.NumClients = (uint)clients;
        Counters.Recovering = recovering ? 1u : 0u;
        Counters.MemoryUsed = (uint)Math.Min(uint.MaxValue, GC.GetTotalMemory(false));
        var data = new byte[CtdbStatistics.Size];
        Counters.Write(data);
        return ControlReply.WithData(data);
    }

    public ControlReply Reset()
    {
        Counters = new CtdbStatistics { StatisticsStartTime = Timeval.FromDateTimeOffset(_time.GetUtcNow()) };
        return ControlReply.Ok;
    }
}
