// SPDX-License-Identifier: GPL-3.0-or-later
using Microsoft.Win32.SafeHandles;

namespace CtdbPcmk.Linux;

/// <summary>POSIX record locks (fcntl F_SETLK / F_GETLK) on a whole file, the kind ctdbd puts on its pid file.</summary>
/// <remarks>
/// .NET's own FileShare.None locking uses flock(), which also blocks every other .NET reader
/// of the file; a record lock only keeps out a second daemon, and `cat` or File.ReadAllText
/// can still read the PID.
/// </remarks>
public static class FileLock
{
    /// <summary>Write-locks the whole file without waiting; false when another process holds a lock.</summary>
    public static bool TryLockWhole(SafeFileHandle fd)
    {
        var lk = new Interop.Libc.Flock { l_type = Interop.Libc.F_WRLCK, l_whence = Interop.Libc.SEEK_SET, l_start = 0, l_len = 0 };
        return Interop.Libc.fcntl_lock(fd, Interop.Libc.F_SETLK, ref lk) == 0;
    }

    /// <summary>
    /// The PID of a process holding a lock that would block a write lock on the whole file
    /// (F_GETLK), or null when there is none or the query fails.
    /// </summary>
    public static int? WriteLockHolder(SafeFileHandle fd)
    {
        var lk = new Interop.Libc.Flock { l_type = Interop.Libc.F_WRLCK, l_whence = Interop.Libc.SEEK_SET, l_start = 0, l_len = 0 };
        if (Interop.Libc.fcntl_lock(fd, Interop.Libc.F_GETLK, ref lk) != 0 || lk.l_type == Interop.Libc.F_UNLCK || lk.l_pid <= 0)
        {
            return null;
        }
        return lk.l_pid;
    }

    /// <summary>
    /// Write-locks (waiting for it) or unlocks <paramref name="length"/> bytes at
    /// <paramref name="start"/> of <paramref name="fd"/>: one of the byte locks libtdb keeps
    /// in its files. The descriptor stays its owner's.
    /// </summary>
    public static void SetRange(int fd, long start, long length, bool locked)
    {
        using var handle = new SafeFileHandle(fd, ownsHandle: false);
        var lk = new Interop.Libc.Flock
        {
            l_type = locked ? Interop.Libc.F_WRLCK : Interop.Libc.F_UNLCK,
            l_whence = Interop.Libc.SEEK_SET,
            l_start = start,
            l_len = length,
        };
        while (Interop.Libc.fcntl_lock(handle, Interop.Libc.F_SETLKW, ref lk) != 0)
        {
            if (System.Runtime.InteropServices.Marshal.GetLastPInvokeError() != (int)Errno.EINTR)
            {
                throw ErrnoException.FromLastError($"fcntl F_SETLKW of bytes {start}-{start + length - 1} of fd {fd}");
            }
        }
    }
}
