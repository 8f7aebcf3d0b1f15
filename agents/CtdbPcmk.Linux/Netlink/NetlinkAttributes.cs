// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux.Netlink;

/// <summary>Walks the rtattr list that follows a fixed header in a netlink message.</summary>
public static class NetlinkAttributes
{
    /// <summary>Calls <paramref name="visit"/> for each attribute (type without nesting flags, payload).</summary>
    public static void ForEach(ReadOnlySpan<byte> attributes, AttributeVisitor visit)
    {
        while (attributes.Length >= 4)
        {
            var length = MemoryMarshal.Read<ushort>(attributes);
            var type = (ushort)(MemoryMarshal.Read<ushort>(attributes[2..]) & 0x3FFF);
            if (length < 4 || length > attributes.Length)
            {
                return;
            }
            visit(type, attributes[4..length]);
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

