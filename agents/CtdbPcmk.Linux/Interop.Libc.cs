// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux;

internal static partial class Interop
{
    /// <summary>
    /// Raw libc entry points under their C names, one file per family. Callers check the
    /// result and errno; the public types of this library are the checked wrappers.
    /// </summary>
    internal static unsafe partial class Libc
    {
        internal const string Name = "libc";

        [LibraryImport(Name, SetLastError = true)]
        internal static partial int close(int fd);

        [LibraryImport(Name, SetLastError = true)]
        internal static partial int kill(int pid, int sig);

        [LibraryImport(Name, SetLastError = true)]
        internal static partial int getpid();

        [LibraryImport(Name)]
        internal static partial uint geteuid();

        [LibraryImport(Name, SetLastError = true)]
        internal static partial int fork();

        [LibraryImport(Name, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        internal static partial int open(string path, int flags);
    }
}
