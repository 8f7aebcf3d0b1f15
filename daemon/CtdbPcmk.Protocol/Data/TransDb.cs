// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>DB_TRANSACTION_START/COMMIT and WIPE_DATABASE input (struct ctdb_transdb): u32 db_id, u32 tid (the new generation).</summary>
public readonly record struct TransDb(uint DbId, uint Tid)
{
    public const int Size = 8;

    public int Write(Span<byte> buffer)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, DbId);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[4..], Tid);
        return Size;
    }

    public static TransDb Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, Size, "transdb");
        return new TransDb(
            BinaryPrimitives.ReadUInt32LittleEndian(data),
            BinaryPrimitives.ReadUInt32LittleEndian(data[4..]));
    }
}
