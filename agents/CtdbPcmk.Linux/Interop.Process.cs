// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [LibraryImport(Name, EntryPoint = "fork", SetLastError = true)]
        internal static partial int Fork();

        // The calls below run in a forked child, where only async-signal-safe work is allowed:
        // no GC transition, no marshalling, no allocation.
        [LibraryImport(Name, EntryPoint = "setsid")]
        [SuppressGCTransition]
        internal static partial int SetSid();

        [LibraryImport(Name, EntryPoint = "dup2")]
        [SuppressGCTransition]
        internal static partial int Dup2(int oldfd, int newfd);

        [LibraryImport(Name, EntryPoint = "close_range")]
        [SuppressGCTransition]
        internal static partial int CloseRange(uint first, uint last, int flags);

        [LibraryImport(Name, EntryPoint = "close")]
        [SuppressGCTransition]
        internal static partial int CloseRaw(int fd);

        [LibraryImport(Name, EntryPoint = "sendto")]
        [SuppressGCTransition]
        internal static unsafe partial nint SendToRaw(int fd, void* buf, nuint len, int flags, void* addr, int addrlen);

        [LibraryImport(Name, EntryPoint = "usleep")]
        [SuppressGCTransition]
        internal static partial int USleep(uint microseconds);

        [LibraryImport(Name, EntryPoint = "_exit")]
        [SuppressGCTransition]
        internal static partial void Exit(int status);

        [LibraryImport(Name, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        internal static partial int Open(string path, int flags);

        [LibraryImport(Name, EntryPoint = "kill", SetLastError = true)]
        internal static partial int Kill(int pid, int signal);
    }
}
