// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static CtdbPcmk.Linux.Interop.Netlink;

namespace CtdbPcmk.Linux.Netlink;

/// <summary>
/// Builds one netlink request. Netlink uses host byte order (not network order), so fields are
/// written with the native layout; attributes are padded to 4 bytes (NLA_ALIGN).
/// </summary>
public sealed class NetlinkWriter
{
    private readonly byte[] _buffer = new byte[512];
    private int _length;

    /// <summary>Starts a message: nlmsghdr with type, flags and sequence number.</summary>
    public NetlinkWriter(ushort type, ushort flags, uint sequence)
    {
        _length = NetlinkMessage.HeaderLength;
        Write(0, new NlMsgHdr { nlmsg_type = type, nlmsg_flags = flags, nlmsg_seq = sequence });
    }

    /// <summary>Appends raw bytes (a fixed header such as ifaddrmsg), padded to 4.</summary>
    public NetlinkWriter Bytes(ReadOnlySpan<byte> data)
    {
        data.CopyTo(_buffer.AsSpan(_length));
        _length = Align(_length + data.Length);
        return this;
    }

    /// <summary>Appends a fixed header struct (ifinfomsg, ifaddrmsg, rtmsg...), padded to 4.</summary>
    internal NetlinkWriter Header<T>(in T header)
        where T : unmanaged => Bytes(HostLayout.AsBytes(in header));

    /// <summary>Appends an attribute (rtattr: length, type, then the payload).</summary>
    public NetlinkWriter Attribute(ushort type, ReadOnlySpan<byte> payload)
    {
        var start = _length;
        var headerLength = Unsafe.SizeOf<RtAttr>();
        Write(start, new RtAttr { rta_len = (ushort)(headerLength + payload.Length), rta_type = type });
        payload.CopyTo(_buffer.AsSpan(start + headerLength));
        _length = Align(start + headerLength + payload.Length);
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
            MemoryMarshal.AsRef<NlMsgHdr>(_buffer.AsSpan()).nlmsg_len = (uint)_length;
            return _buffer.AsSpan(0, _length);
        }
    }

    /// <summary>NLMSG_ALIGN / RTA_ALIGN.</summary>
    public static int Align(int n) => NetlinkMessage.Align(n);

    private void Write<T>(int offset, T value)
        where T : unmanaged => MemoryMarshal.Write(_buffer.AsSpan(offset), in value);
}
