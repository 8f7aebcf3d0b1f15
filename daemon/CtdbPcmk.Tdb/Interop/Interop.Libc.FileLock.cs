// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Tdb;

internal static partial class Interop
{
    /// <summary>fcntl byte-range locks on a TDB file descriptor (the locks libtdb itself uses).</summary>
    internal static partial class Libc
    {
        internal const int F_SETLKW = 7;
        internal const short F_WRLCK = 1;
        internal const short F_UNLCK = 2;
        internal const int EINTR = 4;

        /// <summary>struct flock of Linux on 64-bit targets (32 bytes).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct Flock
        {
            public short l_type;
            public short l_whence;
            public long l_start;
            public long l_len;
            public int l_pid;
        }

        [LibraryImport("libc", SetLastError = true)]
        internal static unsafe partial int fcntl(int fd, int cmd, Flock* lck);
    }

    internal static partial class LibTdb
    {
        [LibraryImport(LibraryName)]
        internal static partial int tdb_fd(SafeTdbHandle tdb);
    }
}
