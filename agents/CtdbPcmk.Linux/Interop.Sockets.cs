// SPDX-License-Identifier: GPL-3.0-or-later
using System.ComponentModel;
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux;

internal static partial class Interop
{
    /// <summary>libc socket calls used by the raw IP sender and the sock_diag client.</summary>
    internal static unsafe partial class Sockets
    {
        private const string Libc = "libc";

        internal const int AF_INET = 2;
        internal const int AF_INET6 = 10;
        internal const int AF_NETLINK = 16;
        internal const int SOCK_RAW = 3;
        internal const int SOCK_CLOEXEC = 0x80000;
        internal const int IPPROTO_IP = 0;
        internal const int IPPROTO_RAW = 255;
        internal const int IP_HDRINCL = 3;
        internal const int NETLINK_SOCK_DIAG = 4;
        internal const int EINTR = 4;

        [LibraryImport(Libc, SetLastError = true)]
        internal static partial SafeSocketFdHandle socket(int domain, int type, int protocol);

        [LibraryImport(Libc, SetLastError = true)]
        internal static partial int setsockopt(SafeSocketFdHandle fd, int level, int name, void* value, uint length);

        [LibraryImport(Libc, SetLastError = true)]
        internal static partial nint sendto(SafeSocketFdHandle fd, void* buffer, nuint length, int flags, void* address, uint addressLength);

        [LibraryImport(Libc, SetLastError = true)]
        internal static partial nint recv(SafeSocketFdHandle fd, void* buffer, nuint length, int flags);

        [LibraryImport(Libc, SetLastError = true)]
        internal static partial int close(int fd);

        internal static SafeSocketFdHandle Open(int domain, int type, int protocol)
        {
            var fd = socket(domain, type | SOCK_CLOEXEC, protocol);
            if (fd.IsInvalid)
            {
                var errno = Marshal.GetLastPInvokeError();
                fd.Dispose();
                throw new Win32Exception(errno, $"socket({domain}, {type}, {protocol}): {new Win32Exception(errno).Message}");
            }

            return fd;
        }

        internal static void SetInt(SafeSocketFdHandle fd, int level, int name, int value)
        {
            if (setsockopt(fd, level, name, &value, sizeof(int)) != 0)
            {
                throw Error($"setsockopt({level}, {name})");
            }
        }

        /// <summary>sendto(2) with EINTR retried; returns the bytes sent.</summary>
        internal static int SendTo(SafeSocketFdHandle fd, ReadOnlySpan<byte> data, ReadOnlySpan<byte> address)
        {
            fixed (byte* d = data)
            fixed (byte* a = address)
            {
                while (true)
                {
                    var n = sendto(fd, d, (nuint)data.Length, 0, address.IsEmpty ? null : a, (uint)address.Length);
                    if (n >= 0)
                    {
                        return (int)n;
                    }

                    if (Marshal.GetLastPInvokeError() != EINTR)
                    {
                        throw Error("sendto");
                    }
                }
            }
        }

        /// <summary>recv(2) with EINTR retried; returns the bytes received.</summary>
        internal static int Receive(SafeSocketFdHandle fd, Span<byte> buffer)
        {
            fixed (byte* b = buffer)
            {
                while (true)
                {
                    var n = recv(fd, b, (nuint)buffer.Length, 0);
                    if (n >= 0)
                    {
                        return (int)n;
                    }

                    if (Marshal.GetLastPInvokeError() != EINTR)
                    {
                        throw Error("recv");
                    }
                }
            }
        }

        internal static Win32Exception Error(string call)
        {
            var errno = Marshal.GetLastPInvokeError();
            return new Win32Exception(errno, $"{call}: {new Win32Exception(errno).Message}");
        }
    }
}
