// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;

namespace CtdbPcmk.Linux;

/// <summary>
/// The fields of /proc/PID/stat the agents use (proc(5)): state (3), parent (4), session (6)
/// and start time in clock ticks since boot (22). A PID with the same start time is the same
/// process: a recycled PID has a later start.
/// </summary>
/// <param name="Pid">The process ID.</param>
/// <param name="State">The state letter (R, S, D, T, Z...).</param>
/// <param name="ParentPid">The parent's process ID.</param>
/// <param name="Session">The session ID.</param>
/// <param name="StartTime">The start time in clock ticks since boot.</param>
public readonly record struct ProcStat(int Pid, char State, int ParentPid, int Session, ulong StartTime)
{
    /// <summary>Exited (zombie or dead): it serves nothing any more.</summary>
    public bool HasExited => State is 'Z' or 'X' or 'x';

    /// <summary>Stopped by a signal or a tracer: alive but serving nothing.</summary>
    public bool IsStopped => State is 'T' or 't';

    /// <summary>Parses the text of /proc/PID/stat; null when it does not have the expected shape.</summary>
    public static ProcStat? Parse(int pid, string text)
    {
        // The command name (field 2) is in parentheses and may contain anything, ')' included.
        var close = text.LastIndexOf(')');
        if (close < 0 || close + 2 >= text.Length)
        {
            return null;
        }
        var fields = text[(close + 2)..].Split(' ');
        // fields[0] is field 3 (state); field N is fields[N - 3].
        if (fields.Length < 20 || fields[0].Length != 1
            || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent)
            || !int.TryParse(fields[3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var session)
            || !ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return null;
        }
        return new ProcStat(pid, fields[0][0], parent, session, start);
    }

    /// <summary>Reads /proc/PID/stat; null when the process does not exist.</summary>
    public static ProcStat? Read(int pid)
    {
        try
        {
            return Parse(pid, File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Every process visible in /proc (a process that exits while being read is left out).</summary>
    public static List<ProcStat> ReadAll()
    {
        var list = new List<ProcStat>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Read(pid) is { } stat)
            {
                list.Add(stat);
            }
        }
        return list;
    }
}
