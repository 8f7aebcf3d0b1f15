// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>struct statvfs on 64-bit Linux (112 bytes).</summary>
        [StructLayout(LayoutKind.Explicit, Size = 112)]
        internal struct StatVfs
        {
            [FieldOffset(0)]
            public ulong f_bsize;
            [FieldOffset(8)]
            public ulong f_frsize;
            [FieldOffset(16)]
            public ulong f_blocks;
            [FieldOffset(24)]
            public ulong f_bfree;
            [FieldOffset(32)]
            public ulong f_bavail;
            [FieldOffset(40)]
            public ulong f_files;
            [FieldOffset(48)]
            public ulong f_ffree;
            [FieldOffset(56)]
            public ulong f_favail;
            [FieldOffset(64)]
            public ulong f_fsid;
            [FieldOffset(72)]
            public ulong f_flag;
            [FieldOffset(80)]
            public ulong f_namemax;
        }

        [LibraryImport(Name, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        internal static partial int statvfs(string path, out StatVfs buf);
    }
}
