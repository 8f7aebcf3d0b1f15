// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static CtdbPcmk.Linux.Interop.Netlink;

namespace CtdbPcmk.Linux.Netlink;

/// <summary>Reading and sizing netlink messages through the structs of <see cref="Interop.Netlink"/>.</summary>
internal static class NetlinkMessage
{
    /// <summary>sizeof(struct nlmsghdr).</summary>
    public static int HeaderLength => Unsafe.SizeOf<NlMsgHdr>();

    /// <summary>NLMSG_ALIGN / RTA_ALIGN.</summary>
    public static int Align(int n) => (n + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1);

    /// <summary>The header at the start of <paramref name="data"/> (at least <see cref="HeaderLength"/> bytes).</summary>
    public static NlMsgHdr ReadHeader(ReadOnlySpan<byte> data) => MemoryMarshal.Read<NlMsgHdr>(data);

    /// <summary>
    /// The errno of an NLMSG_ERROR body (struct nlmsgerr, whose first field is the negated
    /// errno): 0 for an acknowledgement.
    /// </summary>
    public static int Error(ReadOnlySpan<byte> body) => -MemoryMarshal.Read<int>(body[..sizeof(int)]);

    /// <summary>A fixed header of type <typeparamref name="T"/> at the start of a message body, or null when the body is shorter.</summary>
    public static T? ReadBody<T>(ReadOnlySpan<byte> body)
        where T : unmanaged => body.Length >= Unsafe.SizeOf<T>() ? MemoryMarshal.Read<T>(body) : null;

    /// <summary>The attributes after a fixed header of type <typeparamref name="T"/>.</summary>
    public static ReadOnlySpan<byte> AttributesAfter<T>(ReadOnlySpan<byte> body)
        where T : unmanaged => body[Math.Min(body.Length, Align(Unsafe.SizeOf<T>()))..];
}
