// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux;

internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const string Name = "libc";

        [LibraryImport(Name, EntryPoint = "socket", SetLastError = true)]
        internal static partial SafeFdHandle Socket(int domain, int type, int protocol);

        [LibraryImport(Name, EntryPoint = "bind", SetLastError = true)]
        internal static unsafe partial int Bind(SafeFdHandle fd, void* addr, int addrlen);

        [LibraryImport(Name, EntryPoint = "sendto", SetLastError = true)]
        internal static unsafe partial nint SendTo(SafeFdHandle fd, void* buf, nuint len, int flags, void* addr, int addrlen);

        [LibraryImport(Name, EntryPoint = "connect", SetLastError = true)]
        internal static unsafe partial int Connect(SafeFdHandle fd, void* addr, int addrlen);

        [LibraryImport(Name, EntryPoint = "recv", SetLastError = true)]
        internal static unsafe partial nint Recv(SafeFdHandle fd, void* buf, nuint len, int flags);

        [LibraryImport(Name, EntryPoint = "setsockopt", SetLastError = true)]
        internal static unsafe partial int SetSockOpt(SafeFdHandle fd, int level, int optname, void* optval, int optlen);

        [LibraryImport(Name, EntryPoint = "close", SetLastError = true)]
        internal static partial int Close(nint fd);
    }
}
