// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Net;

namespace CtdbPcmk.Protocol;

/// <summary>
/// ADD_PUBLIC_IP / DEL_PUBLIC_IP input (struct ctdb_addr_info_old): address (28), u32 mask
/// bits, u32 len (interface name incl. NUL), name. A len of 0 reads as an empty name.
/// </summary>
public sealed record AddrInfo(IPEndPoint Address, uint Mask, string Iface)
{
    public const int FixedSize = SockAddr.Size + 8;

    public int EncodedSize => FixedSize + CString.GetEncodedSize(Iface);

    public int Write(Span<byte> buffer)
    {
        SockAddr.Write(buffer, Address);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[28..], Mask);
        int n = CString.Write(buffer[FixedSize..], Iface);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[32..], (uint)n);
        return FixedSize + n;
    }

    public static AddrInfo Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, FixedSize, "addr_info");
        var name = Wire.Slice(data, FixedSize, BinaryPrimitives.ReadUInt32LittleEndian(data[32..]), "addr_info iface");
        return new AddrInfo(SockAddr.Read(data), BinaryPrimitives.ReadUInt32LittleEndian(data[28..]), CString.Decode(name));
    }
}
