// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Net;

namespace CtdbPcmk.Protocol;

/// <summary>
/// GET/SET_TCP_TICKLE_LIST (struct ctdb_tickle_list_old): the public address (28), u32 num,
/// num × ctdb_connection (56).
/// </summary>
public sealed record TickleList(IPEndPoint Address, IReadOnlyList<CtdbConnection> Connections)
{
    public const int FixedSize = SockAddr.Size + 4;

    public int EncodedSize => FixedSize + (Connections.Count * CtdbConnection.Size);

    public int Write(Span<byte> buffer)
    {
        SockAddr.Write(buffer, Address);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[SockAddr.Size..], (uint)Connections.Count);
        int offset = FixedSize;
        foreach (var conn in Connections)
        {
            offset += conn.Write(buffer[offset..]);
        }
        return offset;
    }

    public static TickleList Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, FixedSize, "tickle list");
        var address = SockAddr.Read(data);
        int count = Wire.CheckCount(data, FixedSize, BinaryPrimitives.ReadUInt32LittleEndian(data[SockAddr.Size..]), CtdbConnection.Size, "tickle list");
        var conns = new CtdbConnection[count];
        for (int i = 0; i < count; i++)
        {
            conns[i] = CtdbConnection.Read(data[(FixedSize + (i * CtdbConnection.Size))..]);
        }
        return new TickleList(address, conns);
    }
}
