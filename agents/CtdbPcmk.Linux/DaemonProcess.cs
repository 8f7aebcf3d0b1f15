// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Linux;

/// <summary>
/// Finds and signals the daemon process. The daemon holds a write lock on its pid file while it
/// runs, so the lock's holder (F_GETLK) names the live daemon: a stale pid file or a recycled
/// PID is never mistaken for it.
/// </summary>
public static class DaemonProcess
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
    public static bool IsAlive(int pid) => ProcStat.Read(pid) is { HasExited: false };

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
