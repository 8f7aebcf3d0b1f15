// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using CtdbPcmk.Linux;

namespace CtdbPcmk.Ctdbd;

/// <summary>
/// Finds and signals the daemon process. The daemon holds a write lock on its pid file while it
/// runs, so the lock's holder (F_GETLK) names the live daemon: a stale pid file or a recycled
/// PID is never mistaken for it.
/// </summary>
internal static class DaemonProcess
{
    public const int SigTerm = ProcessSignal.SigTerm;
    public const int SigKill = ProcessSignal.SigKill;

    /// <summary>The PID of the process holding the pid file's lock, or null when nobody does.</summary>
    public static int? LockHolder(string pidFile)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(pidFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        using (stream)
        {
            return FileLock.WriteLockHolder(stream.SafeFileHandle);
        }
    }

    /// <summary>True while <paramref name="pid"/> exists and has not exited (a zombie has).</summary>
    public static bool IsAlive(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        // The state follows the command name, which is in parentheses and may contain any byte.
        var close = stat.LastIndexOf(')');
        if (close < 0 || close + 2 >= stat.Length)
        {
            return false;
        }
        return stat[close + 2] is not ('Z' or 'X' or 'x');
    }

    /// <summary>Sends a signal; false when the process no longer exists.</summary>
    public static bool Signal(int pid, int signal) => pid > 0 && ProcessSignal.Send(pid, signal);

    /// <summary>Waits until the process has exited or the deadline passes; true when it exited.</summary>
    public static bool WaitGone(int pid, DateTime deadline)
    {
        while (IsAlive(pid))
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }
            Thread.Sleep(50);
        }
        return true;
    }
}
