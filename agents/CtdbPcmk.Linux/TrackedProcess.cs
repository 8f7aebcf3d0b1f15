// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Linux;

/// <summary>A process the agent started: its PID and start time (together they name it uniquely).</summary>
/// <param name="Pid">The process ID.</param>
/// <param name="StartTime">Its start time in clock ticks since boot.</param>
public readonly record struct TrackedProcess(int Pid, ulong StartTime)
{
    /// <summary>The process now, or null when it exited (or the PID belongs to another process).</summary>
    public ProcStat? Current() => ProcStat.Read(Pid) is { } stat && stat.StartTime == StartTime && !stat.HasExited ? stat : null;

    /// <summary>Still the recorded process, and not exited.</summary>
    public bool IsAlive => Current() is not null;
}
