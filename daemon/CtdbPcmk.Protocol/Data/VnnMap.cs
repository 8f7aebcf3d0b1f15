// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>
/// GETVNNMAP reply / SETVNNMAP input (struct ctdb_vnn_map_wire): u32 generation, u32 size,
/// u32 map[size]. map lists the lmaster-capable active PNNs; lmaster(key) = map[hash % size].
/// </summary>
public sealed record VnnMap(uint Generation, IReadOnlyList<uint> Map)
{
    public int EncodedSize => 8 + (Map.Count * 4);

    public int Write(Span<byte> buffer)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, Generation);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[4..], (uint)Map.Count);
        int offset = 8;
        foreach (uint pnn in Map)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(buffer[offset..], pnn);
            offset += 4;
        }
        return offset;
    }

    public static VnnMap Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, 8, "vnn map");
        int count = Wire.CheckCount(data, 8, BinaryPrimitives.ReadUInt32LittleEndian(data[4..]), 4, "vnn map");
        var map = new uint[count];
        for (int i = 0; i < count; i++)
        {
            map[i] = BinaryPrimitives.ReadUInt32LittleEndian(data[(8 + (i * 4))..]);
        }
        return new VnnMap(BinaryPrimitives.ReadUInt32LittleEndian(data), map);
    }

    /// <summary>The lmaster of a key: map[jenkins(key) % size]. Throws if the map is empty.</summary>
    public uint LmasterOf(ReadOnlySpan<byte> key)
    {
        if (Map.Count == 0)
        {
            throw new InvalidOperationException("the vnn map is empty");
        }
        return Map[(int)(JenkinsHash.Hash(key) % (uint)Map.Count)];
    }
}
