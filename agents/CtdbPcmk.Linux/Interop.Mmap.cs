// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux;

internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const int PROT_READ = 0x1;
        internal const int PROT_WRITE = 0x2;
        internal const int MAP_PRIVATE = 0x02;
        internal const int MAP_ANONYMOUS = 0x20;
        internal static readonly nint MAP_FAILED = -1;

        [LibraryImport(Name, SetLastError = true)]
        internal static partial nint mmap(nint addr, nuint length, int prot, int flags, int fd, nint offset);

        [LibraryImport(Name, SetLastError = true)]
        internal static partial int munmap(nint addr, nuint length);
    }
}
