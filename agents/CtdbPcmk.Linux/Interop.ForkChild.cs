// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux;

internal static partial class Interop
{
    /// <summary>
    /// The calls a forked child makes, where only async-signal-safe work is allowed: no GC
    /// transition, no marshalling, no allocation, no errno bookkeeping.
    /// </summary>
    internal static unsafe partial class ForkChild
    {
        [LibraryImport(Libc.Name)]
        [SuppressGCTransition]
        internal static partial int setsid();

        [LibraryImport(Libc.Name)]
        [SuppressGCTransition]
        internal static partial int dup2(int oldfd, int newfd);

        [LibraryImport(Libc.Name)]
        [SuppressGCTransition]
        internal static partial int close_range(uint first, uint last, int flags);

        [LibraryImport(Libc.Name)]
        [SuppressGCTransition]
        internal static partial int close(int fd);

        [LibraryImport(Libc.Name)]
        [SuppressGCTransition]
        internal static partial nint sendto(int fd, void* buf, nuint len, int flags, void* addr, int addrlen);

        [LibraryImport(Libc.Name)]
        [SuppressGCTransition]
        internal static partial int usleep(uint microseconds);

        [LibraryImport(Libc.Name)]
        [SuppressGCTransition]
        internal static partial void _exit(int status);
    }
}
