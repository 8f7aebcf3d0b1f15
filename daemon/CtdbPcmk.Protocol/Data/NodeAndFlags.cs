// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Net;

namespace CtdbPcmk.Protocol;

/// <summary>One node map entry (struct ctdb_node_and_flags, 36 bytes): pnn, flags, address.</summary>
public sealed record NodeAndFlags(uint Pnn, uint Flags, IPEndPoint Address)
{
    public const int Size = 8 + SockAddr.Size;

    public int Write(Span<byte> buffer)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, Pnn);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[4..], Flags);
        SockAddr.Write(buffer[8..], Address);
        return Size;
    }

    public static NodeAndFlags Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, Size, "node map entry");
        return new NodeAndFlags(
            BinaryPrimitives.ReadUInt32LittleEndian(data),
            BinaryPrimitives.ReadUInt32LittleEndian(data[4..]),
            SockAddr.Read(data[8..]));
    }
}
