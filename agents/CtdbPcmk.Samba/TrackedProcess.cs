// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Linux;

namespace CtdbPcmk.Samba;

/// <summary>A process the agent started: its PID and start time (together they name it uniquely).</summary>
internal readonly record struct TrackedProcess(int Pid, ulong StartTime)
{
    /// <summary>The process now, or null when it exited (or the PID belongs to another process).</summary>
    public ProcStat? Current() => ProcStat.Read(Pid) is { } stat && stat.StartTime == StartTime && !stat.HasExited ? stat : null;

    public bool IsAlive => Current() is not null;
}
