// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>GET_NODEMAP reply (struct ctdb_node_map_old): u32 num, then num × 36-byte entries.</summary>
public sealed record NodeMap(IReadOnlyList<NodeAndFlags> Nodes)
{
    public int EncodedSize => 4 + (Nodes.Count * NodeAndFlags.Size);

    public int Write(Span<byte> buffer)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)Nodes.Count);
        int offset = 4;
        foreach (var node in Nodes)
        {
            offset += node.Write(buffer[offset..]);
        }
        return offset;
    }

    public static NodeMap Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, 4, "node map");
        int count = Wire.CheckCount(data, 4, BinaryPrimitives.ReadUInt32LittleEndian(data), NodeAndFlags.Size, "node map");
        var nodes = new NodeAndFlags[count];
        for (int i = 0; i < count; i++)
        {
            nodes[i] = NodeAndFlags.Read(data[(4 + (i * NodeAndFlags.Size))..]);
        }
        return new NodeMap(nodes);
    }
}
