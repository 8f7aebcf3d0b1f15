// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux;

internal static partial class Interop
{
    internal static unsafe partial class Libc
    {
        internal const int AF_UNIX = 1;
        internal const int AF_INET = 2;
        internal const int AF_INET6 = 10;
        internal const int AF_NETLINK = 16;
        internal const int AF_PACKET = 17;
        internal const int SOCK_STREAM = 1;
        internal const int SOCK_DGRAM = 2;
        internal const int SOCK_RAW = 3;
        internal const int SOCK_NONBLOCK = 0x800;
        internal const int SOCK_CLOEXEC = 0x80000;
        internal const int SOL_SOCKET = 1;
        internal const int SO_REUSEADDR = 2;
        internal const int SO_ERROR = 4;
        internal const int SO_KEEPALIVE = 9;
        internal const int SO_PEERCRED = 17;
        internal const int SO_RCVTIMEO = 20;
        internal const int SO_SNDTIMEO = 21;
        internal const int SO_RCVBUFFORCE = 33;
        internal const int SO_RCVBUF = 8;
        internal const int IPPROTO_IP = 0;
        internal const int IPPROTO_TCP = 6;
        internal const int IPPROTO_RAW = 255;
        internal const int IP_HDRINCL = 3;
        internal const int TCP_NODELAY = 1;
        internal const int MSG_NOSIGNAL = 0x4000;
        internal const int MSG_DONTWAIT = 0x40;

        /// <summary>struct ucred (SO_PEERCRED): pid, uid, gid.</summary>
        [StructLayout(LayoutKind.Explicit, Size = 12)]
        internal struct UCred
        {
            [FieldOffset(0)]
            public int pid;
            [FieldOffset(4)]
            public uint uid;
            [FieldOffset(8)]
            public uint gid;
        }

        // Descriptors as plain ints: the daemon's event loop owns them through SafeFdHandle and
        // keeps them open while it polls them.

        [LibraryImport(Name, SetLastError = true)]
        internal static partial int socket(int domain, int type, int protocol);

        [LibraryImport(Name, SetLastError = true)]
        internal static partial int bind(int fd, byte* addr, int addrlen);

        [LibraryImport(Name, SetLastError = true)]
        internal static partial int listen(int fd, int backlog);

        [LibraryImport(Name, SetLastError = true)]
        internal static partial int accept4(int fd, byte* addr, int* addrlen, int flags);

        [LibraryImport(Name, SetLastError = true)]
        internal static partial int connect(int fd, byte* addr, int addrlen);

        [LibraryImport(Name, SetLastError = true)]
        internal static partial int getsockopt(int fd, int level, int name, void* value, int* len);

        [LibraryImport(Name, SetLastError = true)]
        internal static partial int setsockopt(int fd, int level, int name, void* value, int len);

        [LibraryImport(Name, SetLastError = true)]
        internal static partial int getpeername(int fd, byte* addr, int* addrlen);

        [LibraryImport(Name, SetLastError = true)]
        internal static partial nint recv(int fd, byte* buf, nint len, int flags);

        [LibraryImport(Name, SetLastError = true)]
        internal static partial nint send(int fd, byte* buf, nint len, int flags);

        // Descriptors as SafeFdHandle: the marshaller holds a reference for the call.

        [LibraryImport(Name, SetLastError = true)]
        internal static partial int bind(SafeFdHandle fd, void* addr, int addrlen);

        [LibraryImport(Name, SetLastError = true)]
        internal static partial int connect(SafeFdHandle fd, void* addr, int addrlen);

        [LibraryImport(Name, SetLastError = true)]
        internal static partial int setsockopt(SafeFdHandle fd, int level, int optname, void* optval, int optlen);

        [LibraryImport(Name, SetLastError = true)]
        internal static partial nint sendto(SafeFdHandle fd, void* buf, nuint len, int flags, void* addr, int addrlen);

        [LibraryImport(Name, SetLastError = true)]
        internal static partial nint recv(SafeFdHandle fd, void* buf, nuint len, int flags);
    }
}
