// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux;

internal static partial class Interop
{
    /// <summary>
    /// Netlink's framing (linux/netlink.h). Netlink structs are in host byte order, so they are
    /// read and written with MemoryMarshal in the native layout the layout tests pin.
    /// </summary>
    internal static partial class Netlink
    {
        /// <summary>NLMSG_ALIGNTO and RTA_ALIGNTO: messages and attributes start on 4 bytes.</summary>
        internal const int NLMSG_ALIGNTO = 4;

        /// <summary>NLA_TYPE_MASK: an attribute's type without NLA_F_NESTED and NLA_F_NET_BYTEORDER.</summary>
        internal const ushort NLA_TYPE_MASK = 0x3FFF;

        /// <summary>struct nlmsghdr (16 bytes).</summary>
        [StructLayout(LayoutKind.Explicit, Size = 16)]
        internal struct NlMsgHdr
        {
            [FieldOffset(0)]
            public uint nlmsg_len;
            [FieldOffset(4)]
            public ushort nlmsg_type;
            [FieldOffset(6)]
            public ushort nlmsg_flags;
            [FieldOffset(8)]
            public uint nlmsg_seq;
            [FieldOffset(12)]
            public uint nlmsg_pid;
        }

        /// <summary>struct nlmsgerr: a negative errno (0 for an acknowledgement), then the request's header.</summary>
        [StructLayout(LayoutKind.Explicit, Size = 20)]
        internal struct NlMsgErr
        {
            [FieldOffset(0)]
            public int error;
            [FieldOffset(4)]
            public NlMsgHdr msg;
        }

        /// <summary>struct rtattr (and struct nlattr, the same layout): length with header, type.</summary>
        [StructLayout(LayoutKind.Explicit, Size = 4)]
        internal struct RtAttr
        {
            [FieldOffset(0)]
            public ushort rta_len;
            [FieldOffset(2)]
            public ushort rta_type;
        }
    }
}
