// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux.Netlink;

/// <summary>
/// Builds one netlink request. Netlink uses host byte order (not network order), so fields are
/// written with the native layout; attributes are padded to 4 bytes (NLA_ALIGN).
/// </summary>
public sealed class NetlinkWriter
{
    private readonly byte[] _buffer = new byte[512];
    private int _length;

    /// <summary>Starts a message: nlmsghdr (16 bytes) with type, flags and sequence number.</summary>
    public NetlinkWriter(ushort type, ushort flags, uint sequence)
    {
        _length = 16;
        Write(4, type);
        Write(6, flags);
        Write(8, sequence);
    }

    /// <summary>Appends raw bytes (a fixed header such as ifaddrmsg), padded to 4.</summary>
    public NetlinkWriter Bytes(ReadOnlySpan<byte> data)
    {
        data.CopyTo(_buffer.AsSpan(_length));
        _length = Align(_length + data.Length);
        return this;
    }

    /// <summary>Appends an attribute (rtattr: u16 length, u16 type, payload).</summary>
    public NetlinkWriter Attribute(ushort type, ReadOnlySpan<byte> payload)
    {
        var start = _length;
        Write(start, (ushort)(4 + payload.Length));
        Write(start + 2, type);
        payload.CopyTo(_buffer.AsSpan(start + 4));
        _length = Align(start + 4 + payload.Length);
        return this;
    }

    /// <summary>Appends a 32-bit attribute.</summary>
    public NetlinkWriter Attribute(ushort type, uint value)
    {
        Span<byte> v = stackalloc byte[4];
        MemoryMarshal.Write(v, in value);
        return Attribute(type, v);
    }

    /// <summary>Appends a NUL-terminated string attribute.</summary>
    public NetlinkWriter Attribute(ushort type, string value)
    {
        Span<byte> v = stackalloc byte[value.Length * 3 + 1];
        var n = System.Text.Encoding.UTF8.GetBytes(value, v);
        v[n] = 0;
        return Attribute(type, v[..(n + 1)]);
    }

    /// <summary>The finished message with its length filled in.</summary>
    public ReadOnlySpan<byte> Message
    {
        get
        {
            Write(0, (uint)_length);
            return _buffer.AsSpan(0, _length);
        }
    }

    /// <summary>NLMSG_ALIGN / RTA_ALIGN.</summary>
    public static int Align(int n) => (n + 3) & ~3;

    private void Write<T>(int offset, T value)
        where T : unmanaged => MemoryMarshal.Write(_buffer.AsSpan(offset), in value);
}
