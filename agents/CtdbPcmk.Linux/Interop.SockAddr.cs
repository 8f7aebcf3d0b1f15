// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux;

internal static partial class Interop
{
    /// <summary>
    /// Socket addresses (netinet/in.h, linux/if_packet.h, sys/un.h): the family in host order,
    /// ports and IP addresses in network order.
    /// </summary>
    internal static partial class Libc
    {
        /// <summary>struct sockaddr_in (16 bytes).</summary>
        [StructLayout(LayoutKind.Explicit, Size = 16)]
        internal unsafe struct SockAddrIn
        {
            [FieldOffset(0)]
            public ushort sin_family;
            [FieldOffset(2)]
            public ushort sin_port;
            [FieldOffset(4)]
            public fixed byte sin_addr[4];
        }

        /// <summary>struct sockaddr_in6 (28 bytes).</summary>
        [StructLayout(LayoutKind.Explicit, Size = 28)]
        internal unsafe struct SockAddrIn6
        {
            [FieldOffset(0)]
            public ushort sin6_family;
            [FieldOffset(2)]
            public ushort sin6_port;
            [FieldOffset(4)]
            public uint sin6_flowinfo;
            [FieldOffset(8)]
            public fixed byte sin6_addr[16];
            [FieldOffset(24)]
            public uint sin6_scope_id;
        }

        /// <summary>struct sockaddr_ll (20 bytes): an AF_PACKET address; the protocol is an EtherType in network order.</summary>
        [StructLayout(LayoutKind.Explicit, Size = 20)]
        internal unsafe struct SockAddrLl
        {
            [FieldOffset(0)]
            public ushort sll_family;
            [FieldOffset(2)]
            public ushort sll_protocol;
            [FieldOffset(4)]
            public int sll_ifindex;
            [FieldOffset(8)]
            public ushort sll_hatype;
            [FieldOffset(10)]
            public byte sll_pkttype;
            [FieldOffset(11)]
            public byte sll_halen;
            [FieldOffset(12)]
            public fixed byte sll_addr[8];
        }

        /// <summary>struct sockaddr_un (110 bytes): a NUL-terminated path in sun_path.</summary>
        [StructLayout(LayoutKind.Explicit, Size = 110)]
        internal unsafe struct SockAddrUn
        {
            [FieldOffset(0)]
            public ushort sun_family;
            [FieldOffset(2)]
            public fixed byte sun_path[108];
        }

        /// <summary>struct timeval on 64-bit Linux (16 bytes): SO_RCVTIMEO and SO_SNDTIMEO.</summary>
        [StructLayout(LayoutKind.Explicit, Size = 16)]
        internal struct Timeval
        {
            [FieldOffset(0)]
            public long tv_sec;
            [FieldOffset(8)]
            public long tv_usec;
        }
    }
}
