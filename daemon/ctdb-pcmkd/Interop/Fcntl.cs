// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace CtdbPcmk.Daemon.Interop;

/// <summary>POSIX record locks (fcntl F_SETLK), the kind ctdbd puts on its pid file.</summary>
/// <remarks>
/// .NET's own FileShare.None locking uses flock(), which also blocks every other .NET reader
/// of the file; a record lock only keeps out a second daemon, and `cat` or File.ReadAllText
/// can still read the PID.
/// </remarks>
internal static partial class Fcntl
{
    private const int FSetLk = 6;
    private const short FWrLck = 1;
    private const short SeekSet = 0;

    /// <summary>struct flock on 64-bit Linux (32 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Flock
    {
        public short Type;
        public short Whence;
        public long Start;
        public long Length;
        public int Pid;
    }

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int FcntlLock(SafeFileHandle fd, int cmd, ref Flock lk);

    /// <summary>Write-locks the whole file without waiting; false when another process holds a lock.</summary>
    public static bool TryLockWhole(SafeFileHandle fd)
    {
        var lk = new Flock { Type = FWrLck, Whence = SeekSet, Start = 0, Length = 0 };
        return FcntlLock(fd, FSetLk, ref lk) == 0;
    }
}
