// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>GET_PUBLIC_IPS reply (struct ctdb_public_ip_list_old): u32 num, then num × 32-byte entries.</summary>
public sealed record PublicIpList(IReadOnlyList<PublicIp> Ips)
{
    public int EncodedSize => 4 + (Ips.Count * PublicIp.Size);

    public int Write(Span<byte> buffer)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)Ips.Count);
        int offset = 4;
        foreach (var ip in Ips)
        {
            offset += ip.Write(buffer[offset..]);
        }
        return offset;
    }

    public static PublicIpList Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, 4, "public ip list");
        int count = Wire.CheckCount(data, 4, BinaryPrimitives.ReadUInt32LittleEndian(data), PublicIp.Size, "public ip list");
        var ips = new PublicIp[count];
        for (int i = 0; i < count; i++)
        {
            ips[i] = PublicIp.Read(data[(4 + (i * PublicIp.Size))..]);
        }
        return new PublicIpList(ips);
    }
}
