// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace CtdbPcmk.Ctdbd;

/// <summary>The few libc calls the agent needs to find and signal the daemon.</summary>
internal static unsafe partial class Interop
{
    private const string Libc = "libc";

    /// <summary>struct flock on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Flock
    {
        public short Type;
        public short Whence;
        public long Start;
        public long Length;
        public int Pid;
    }

    [LibraryImport(Libc, EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int FcntlLock(SafeFileHandle fd, int cmd, ref Flock lk);

    [LibraryImport(Libc, EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);
}
