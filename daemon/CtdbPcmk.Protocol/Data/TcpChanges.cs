// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>One connection that joined (<see cref="Added"/>) or left a public address's list.</summary>
public readonly record struct TcpChange(CtdbConnection Connection, bool Added);

/// <summary>
/// The data of PCMK_TCP_UPDATE: u32 count, then count × (u32 1 = added / 0 = removed,
/// ctdb_connection 56 bytes, source = client, destination = public address).
/// </summary>
public static class TcpChanges
{
    public const int EntrySize = 4 + CtdbConnection.Size;

    /// <summary>Changes per control a sender should not exceed (about 480 KiB of data).</summary>
    public const int MaxPerControl = 8192;

    public static int EncodedSize(int count) => 4 + (count * EntrySize);

    public static int Write(Span<byte> buffer, ReadOnlySpan<TcpChange> changes)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)changes.Length);
        int offset = 4;
        foreach (var change in changes)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(buffer[offset..], change.Added ? 1u : 0u);
            offset += 4 + change.Connection.Write(buffer[(offset + 4)..]);
        }
        return offset;
    }

    public static TcpChange[] Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, 4, "tcp changes");
        int count = Wire.CheckCount(data, 4, BinaryPrimitives.ReadUInt32LittleEndian(data), EntrySize, "tcp changes");
        var changes = new TcpChange[count];
        for (int i = 0; i < count; i++)
        {
            var entry = data[(4 + (i * EntrySize))..];
            uint kind = BinaryPrimitives.ReadUInt32LittleEndian(entry);
            if (kind > 1)
            {
                ProtocolException.Throw($"tcp change {i}: kind {kind} is neither 0 (removed) nor 1 (added)");
            }
            changes[i] = new TcpChange(CtdbConnection.Read(entry[4..]), kind == 1);
        }
        return changes;
    }
}
