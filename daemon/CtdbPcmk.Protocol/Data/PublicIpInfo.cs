// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>
/// GET_PUBLIC_IP_INFO reply (struct ctdb_public_ip_info_old): public ip (32), u32 active_idx
/// (index into the interfaces, 0xFFFFFFFF = none), u32 num, num × iface.
/// </summary>
public sealed record PublicIpInfo(PublicIp Ip, uint ActiveIdx, IReadOnlyList<Iface> Ifaces)
{
    public const int FixedSize = PublicIp.Size + 8;

    public int EncodedSize => FixedSize + (Ifaces.Count * Iface.Size);

    public int Write(Span<byte> buffer)
    {
        Ip.Write(buffer);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[32..], ActiveIdx);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[36..], (uint)Ifaces.Count);
        int offset = FixedSize;
        foreach (var iface in Ifaces)
        {
            offset += iface.Write(buffer[offset..]);
        }
        return offset;
    }

    public static PublicIpInfo Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, FixedSize, "public ip info");
        return new PublicIpInfo(
            PublicIp.Read(data),
            BinaryPrimitives.ReadUInt32LittleEndian(data[32..]),
            IfaceList.ReadEntries(data, FixedSize, BinaryPrimitives.ReadUInt32LittleEndian(data[36..])));
    }
}
