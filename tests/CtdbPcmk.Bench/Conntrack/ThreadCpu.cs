// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Runtime.InteropServices;

namespace CtdbPcmk.Bench.Conntrack;

/// <summary>CPU time of a thread of this process, of this process, or of another process.</summary>
internal static class ThreadCpu
{
    private const int ClockThreadCputimeId = 3;
    private const int SysGettid = 186;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int clock_gettime(int clock, out Timespec ts);

    [DllImport("libc", SetLastError = true)]
    private static extern long syscall(long number);

    /// <summary>The calling thread's kernel id.</summary>
    public static int CurrentTid() => (int)syscall(SysGettid);

    /// <summary>The calling thread's CPU time (nanosecond clock).</summary>
    public static TimeSpan Current()
    {
        if (clock_gettime(ClockThreadCputimeId, out var ts) != 0)
        {
            throw new InvalidOperationException($"clock_gettime: errno {Marshal.GetLastPInvokeError()}");
        }
        return TimeSpan.FromTicks(ts.Seconds * TimeSpan.TicksPerSecond + ts.Nanoseconds / 100);
    }

    /// <summary>CPU time (user + system) of thread <paramref name="tid"/> of this process, from /proc (clock ticks).</summary>
    public static TimeSpan OfThread(int tid) => FromStat($"/proc/self/task/{tid}/stat");

    /// <summary>CPU time of this process's threads whose name (comm, 15 characters at most) starts with <paramref name="name"/>.</summary>
    public static TimeSpan OfThreadsNamed(string name)
    {
        var total = TimeSpan.Zero;
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).Trim().StartsWith(name, StringComparison.Ordinal))
                {
                    total += FromStat(Path.Combine(task, "stat"));
                }
            }
            catch (IOException)
            {
            }
        }
        return total;
    }

    /// <summary>CPU time (user + system) of process <paramref name="pid"/>, from /proc (clock ticks).</summary>
    public static TimeSpan OfProcess(int pid) => FromStat($"/proc/{pid}/stat");

    /// <summary>This process's CPU time, every thread (the runtime's too).</summary>
    public static TimeSpan OfSelf() => System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;

    private static TimeSpan FromStat(string path)
    {
        try
        {
            var text = File.ReadAllText(path);
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            // Fields 14 and 15 of stat(5): utime and stime; after the name, state is index 0.
            long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / 100.0);
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
    }
}
