// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux;

internal static partial class Interop
{
    /// <summary>The fixed headers of rtnetlink messages (linux/rtnetlink.h, linux/if_addr.h).</summary>
    internal static partial class Netlink
    {
        /// <summary>struct ifinfomsg (16 bytes): the header of RTM_*LINK messages.</summary>
        [StructLayout(LayoutKind.Explicit, Size = 16)]
        internal struct IfInfoMsg
        {
            [FieldOffset(0)]
            public byte ifi_family;
            [FieldOffset(2)]
            public ushort ifi_type;
            [FieldOffset(4)]
            public int ifi_index;
            [FieldOffset(8)]
            public uint ifi_flags;
            [FieldOffset(12)]
            public uint ifi_change;
        }

        /// <summary>struct ifaddrmsg (8 bytes): the header of RTM_*ADDR messages.</summary>
        [StructLayout(LayoutKind.Explicit, Size = 8)]
        internal struct IfAddrMsg
        {
            [FieldOffset(0)]
            public byte ifa_family;
            [FieldOffset(1)]
            public byte ifa_prefixlen;
            [FieldOffset(2)]
            public byte ifa_flags;
            [FieldOffset(3)]
            public byte ifa_scope;
            [FieldOffset(4)]
            public int ifa_index;
        }

        /// <summary>struct ifa_cacheinfo (16 bytes): the IFA_CACHEINFO lifetimes, in seconds.</summary>
        [StructLayout(LayoutKind.Explicit, Size = 16)]
        internal struct IfaCacheInfo
        {
            [FieldOffset(0)]
            public uint ifa_prefered;
            [FieldOffset(4)]
            public uint ifa_valid;
            [FieldOffset(8)]
            public uint cstamp;
            [FieldOffset(12)]
            public uint tstamp;
        }

        /// <summary>struct rtmsg (12 bytes): the header of RTM_*ROUTE messages.</summary>
        [StructLayout(LayoutKind.Explicit, Size = 12)]
        internal struct RtMsg
        {
            [FieldOffset(0)]
            public byte rtm_family;
            [FieldOffset(1)]
            public byte rtm_dst_len;
            [FieldOffset(2)]
            public byte rtm_src_len;
            [FieldOffset(3)]
            public byte rtm_tos;
            [FieldOffset(4)]
            public byte rtm_table;
            [FieldOffset(5)]
            public byte rtm_protocol;
            [FieldOffset(6)]
            public byte rtm_scope;
            [FieldOffset(7)]
            public byte rtm_type;
            [FieldOffset(8)]
            public uint rtm_flags;
        }
    }
}
