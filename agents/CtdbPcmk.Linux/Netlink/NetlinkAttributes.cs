// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux.Netlink;

/// <summary>Walks the rtattr list that follows a fixed header in a netlink message.</summary>
public static class NetlinkAttributes
{
    /// <summary>Calls <paramref name="visit"/> for each attribute (type without nesting flags, payload).</summary>
    public static void ForEach(ReadOnlySpan<byte> attributes, AttributeVisitor visit)
    {
        var headerLength = Unsafe.SizeOf<Interop.Netlink.RtAttr>();
        while (attributes.Length >= headerLength)
        {
            var header = MemoryMarshal.Read<Interop.Netlink.RtAttr>(attributes);
            var length = header.rta_len;
            var type = (ushort)(header.rta_type & Interop.Netlink.NLA_TYPE_MASK);
            if (length < headerLength || length > attributes.Length)
            {
                return;
            }
            visit(type, attributes[headerLength..length]);
            var next = NetlinkWriter.Align(length);
            if (next >= attributes.Length)
            {
                return;
            }
            attributes = attributes[next..];
        }
    }

    /// <summary>A 32-bit host-order payload.</summary>
    public static uint U32(ReadOnlySpan<byte> payload) => payload.Length >= 4 ? MemoryMarshal.Read<uint>(payload) : 0;

    /// <summary>A NUL-terminated string payload.</summary>
    public static string Text(ReadOnlySpan<byte> payload)
    {
        var end = payload.IndexOf((byte)0);
        return System.Text.Encoding.UTF8.GetString(end < 0 ? payload : payload[..end]);
    }
}

