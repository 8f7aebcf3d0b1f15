// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace CtdbPcmk.Linux;

internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const int F_GETLK = 5;
        internal const int F_SETLK = 6;
        internal const int F_SETLKW = 7;
        internal const short F_WRLCK = 1;
        internal const short F_UNLCK = 2;
        internal const short SEEK_SET = 0;

        /// <summary>struct flock on 64-bit Linux (32 bytes; l_start is 8-aligned after the two shorts).</summary>
        [StructLayout(LayoutKind.Explicit, Size = 32)]
        internal struct Flock
        {
            [FieldOffset(0)]
            public short l_type;
            [FieldOffset(2)]
            public short l_whence;
            [FieldOffset(8)]
            public long l_start;
            [FieldOffset(16)]
            public long l_len;
            [FieldOffset(24)]
            public int l_pid;
        }

        /// <summary>fcntl(2) with a struct flock argument (F_GETLK, F_SETLK, F_SETLKW).</summary>
        [LibraryImport(Name, EntryPoint = "fcntl", SetLastError = true)]
        internal static partial int fcntl_lock(SafeFileHandle fd, int cmd, ref Flock lk);
    }
}
