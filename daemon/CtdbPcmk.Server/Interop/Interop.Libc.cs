// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Server;

internal static partial class Interop
{
    /// <summary>Raw libc entry points used by the event loop and the sockets (C names).</summary>
    internal static unsafe partial class Libc
    {
        private const string Lib = "libc";

        [LibraryImport(Lib, SetLastError = true)]
        internal static partial int close(int fd);

        [LibraryImport(Lib, SetLastError = true)]
        internal static partial nint recv(int fd, byte* buf, nint len, int flags);

        [LibraryImport(Lib, SetLastError = true)]
        internal static partial nint send(int fd, byte* buf, nint len, int flags);

        [LibraryImport(Lib, SetLastError = true)]
        internal static partial int kill(int pid, int sig);

        [LibraryImport(Lib, SetLastError = true)]
        internal static partial int getpid();

        [LibraryImport(Lib)]
        internal static partial uint geteuid();
    }
}
