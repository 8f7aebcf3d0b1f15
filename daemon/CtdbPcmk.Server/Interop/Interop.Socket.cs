// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Server;

internal static partial class Interop
{
    internal static unsafe partial class Libc
    {
        internal const int AF_UNIX = 1;
        internal const int AF_INET = 2;
        internal const int AF_INET6 = 10;
        internal const int SOCK_STREAM = 1;
        internal const int SOCK_NONBLOCK = 0x800;
        internal const int SOCK_CLOEXEC = 0x80000;
        internal const int SOL_SOCKET = 1;
        internal const int SO_REUSEADDR = 2;
        internal const int SO_KEEPALIVE = 9;
        internal const int SO_PEERCRED = 17;
        internal const int SO_ERROR = 4;
        internal const int IPPROTO_TCP = 6;
        internal const int TCP_NODELAY = 1;
        internal const int MSG_NOSIGNAL = 0x4000;
        internal const int MSG_DONTWAIT = 0x40;

        /// <summary>struct UCred: pid, uid, gid.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct UCred
        {
            public int pid;
            public uint uid;
            public uint gid;
        }

        [LibraryImport(Lib, SetLastError = true)]
        internal static partial int socket(int domain, int type, int protocol);

        [LibraryImport(Lib, SetLastError = true)]
        internal static partial int bind(int fd, byte* addr, int addrlen);

        [LibraryImport(Lib, SetLastError = true)]
        internal static partial int listen(int fd, int backlog);

        [LibraryImport(Lib, SetLastError = true)]
        internal static partial int accept4(int fd, byte* addr, int* addrlen, int flags);

        [LibraryImport(Lib, SetLastError = true)]
        internal static partial int connect(int fd, byte* addr, int addrlen);

        [LibraryImport(Lib, SetLastError = true)]
        internal static partial int getsockopt(int fd, int level, int name, void* value, int* len);

        [LibraryImport(Lib, SetLastError = true)]
        internal static partial int setsockopt(int fd, int level, int name, void* value, int len);

        [LibraryImport(Lib, SetLastError = true)]
        internal static partial int getpeername(int fd, byte* addr, int* addrlen);
    }
}
