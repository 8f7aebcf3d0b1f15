// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux;

internal static partial class Interop
{
    /// <summary>NETLINK_SOCK_DIAG for TCP (linux/sock_diag.h, linux/inet_diag.h).</summary>
    internal static partial class Netlink
    {
        internal const int NETLINK_SOCK_DIAG = 4;
        internal const ushort SOCK_DIAG_BY_FAMILY = 20;
        internal const ushort SOCK_DESTROY = 21;

        /// <summary>TCP_ESTABLISHED of the kernel's TCP states (a bit number in idiag_states).</summary>
        internal const int TCP_ESTABLISHED = 1;

        /// <summary>
        /// struct inet_diag_sockid (48 bytes). Ports and addresses are in network order; an IPv4
        /// address fills the first 4 of the 16 address bytes.
        /// </summary>
        [StructLayout(LayoutKind.Explicit, Size = 48)]
        internal unsafe struct InetDiagSockId
        {
            [FieldOffset(0)]
            public ushort idiag_sport;
            [FieldOffset(2)]
            public ushort idiag_dport;
            [FieldOffset(4)]
            public fixed byte idiag_src[16];
            [FieldOffset(20)]
            public fixed byte idiag_dst[16];
            [FieldOffset(36)]
            public uint idiag_if;
            /// <summary>__u32 idiag_cookie[2] in C: the kernel's socket cookie, read as one host-order u64.</summary>
            [FieldOffset(40)]
            public ulong idiag_cookie;
        }

        /// <summary>struct inet_diag_req_v2 (56 bytes): a SOCK_DIAG_BY_FAMILY or SOCK_DESTROY request.</summary>
        [StructLayout(LayoutKind.Explicit, Size = 56)]
        internal struct InetDiagReqV2
        {
            [FieldOffset(0)]
            public byte sdiag_family;
            [FieldOffset(1)]
            public byte sdiag_protocol;
            [FieldOffset(2)]
            public byte idiag_ext;
            [FieldOffset(4)]
            public uint idiag_states;
            [FieldOffset(8)]
            public InetDiagSockId id;
        }

        /// <summary>struct inet_diag_msg (72 bytes): one socket of a SOCK_DIAG_BY_FAMILY dump.</summary>
        [StructLayout(LayoutKind.Explicit, Size = 72)]
        internal struct InetDiagMsg
        {
            [FieldOffset(0)]
            public byte idiag_family;
            [FieldOffset(1)]
            public byte idiag_state;
            [FieldOffset(2)]
            public byte idiag_timer;
            [FieldOffset(3)]
            public byte idiag_retrans;
            [FieldOffset(4)]
            public InetDiagSockId id;
            [FieldOffset(52)]
            public uint idiag_expires;
            [FieldOffset(56)]
            public uint idiag_rqueue;
            [FieldOffset(60)]
            public uint idiag_wqueue;
            [FieldOffset(64)]
            public uint idiag_uid;
            [FieldOffset(68)]
            public uint idiag_inode;
        }
    }
}
