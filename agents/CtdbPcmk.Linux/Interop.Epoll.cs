// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux;

internal static partial class Interop
{
    internal static unsafe partial class Libc
    {
        internal const int EPOLL_CLOEXEC = 0x80000;
        internal const int EPOLL_CTL_ADD = 1;
        internal const int EPOLL_CTL_DEL = 2;
        internal const int EPOLL_CTL_MOD = 3;
        internal const uint EPOLLIN = 0x001;
        internal const uint EPOLLOUT = 0x004;
        internal const uint EPOLLERR = 0x008;
        internal const uint EPOLLHUP = 0x010;
        internal const uint EPOLLRDHUP = 0x2000;

        internal const int EFD_CLOEXEC = 0x80000;
        internal const int EFD_NONBLOCK = 0x800;

        /// <summary>struct epoll_event is packed on x86_64: u32 events, u64 data (12 bytes).</summary>
        [StructLayout(LayoutKind.Explicit, Size = 12)]
        internal struct epoll_event
        {
            [FieldOffset(0)]
            public uint events;
            [FieldOffset(4)]
            public ulong data;
        }

        [LibraryImport(Name, SetLastError = true)]
        internal static partial int epoll_create1(int flags);

        [LibraryImport(Name, SetLastError = true)]
        internal static partial int epoll_ctl(int epfd, int op, int fd, epoll_event* ev);

        [LibraryImport(Name, SetLastError = true)]
        internal static partial int epoll_wait(int epfd, epoll_event* events, int maxevents, int timeout);

        [LibraryImport(Name, SetLastError = true)]
        internal static partial int eventfd(uint initval, int flags);
    }
}
