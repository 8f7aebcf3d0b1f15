// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>GET_IFACES reply (struct ctdb_iface_list_old): u32 num, then num × 24-byte ifaces.</summary>
public sealed record IfaceList(IReadOnlyList<Iface> Ifaces)
{
    public int EncodedSize => 4 + (Ifaces.Count * Iface.Size);

    public int Write(Span<byte> buffer)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)Ifaces.Count);
        int offset = 4;
        foreach (var iface in Ifaces)
        {
            offset += iface.Write(buffer[offset..]);
        }
        return offset;
    }

    public static IfaceList Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, 4, "iface list");
        return new IfaceList(ReadEntries(data, 4, BinaryPrimitives.ReadUInt32LittleEndian(data)));
    }

    internal static Iface[] ReadEntries(ReadOnlySpan<byte> data, int offset, uint declared)
    {
        int count = Wire.CheckCount(data, offset, declared, Iface.Size, "iface list");
        var ifaces = new Iface[count];
        for (int i = 0; i < count; i++)
        {
            ifaces[i] = Iface.Read(data[(offset + (i * Iface.Size))..]);
        }
        return ifaces;
    }
}
