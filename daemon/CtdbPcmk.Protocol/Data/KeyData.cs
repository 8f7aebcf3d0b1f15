// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>
/// SCHEDULE_FOR_DELETION input (struct ctdb_control_schedule_for_deletion): u32 db_id, 4 pad,
/// the record's ltdb header (24), u32 keylen, key — 36 + keylen bytes. ctdbd requires the
/// control's datalen to equal exactly that.
/// </summary>
public sealed record KeyData(uint DbId, LtdbHeader Header, ReadOnlyMemory<byte> Key)
{
    public const int FixedSize = 36;

    public int EncodedSize => FixedSize + Key.Length;

    public int Write(Span<byte> buffer)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, DbId);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[4..], 0);
        Header.Write(buffer[8..]);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[32..], (uint)Key.Length);
        Key.Span.CopyTo(buffer[FixedSize..]);
        return EncodedSize;
    }

    public static KeyData Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, FixedSize, "key_data");
        var key = Wire.Slice(data, FixedSize, BinaryPrimitives.ReadUInt32LittleEndian(data[32..]), "key_data key");
        return new KeyData(BinaryPrimitives.ReadUInt32LittleEndian(data), LtdbHeader.Read(data[8..]), key.ToArray());
    }
}
