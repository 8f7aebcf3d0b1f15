// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>
/// Marshall buffer (struct ctdb_marshall_buffer / ctdb_rec_buffer): u32 db_id, u32 count, then
/// count back-to-back <see cref="RecData"/>. Used by TRANS3_COMMIT, UPDATE_RECORD, DB_PULL /
/// DB_PUSH messages, VACUUM_FETCH and TRY_DELETE_RECORDS. A validated view: enumerating it
/// allocates nothing and cannot fail. Bytes after the last record are ignored.
/// </summary>
public readonly ref struct RecBuffer
{
    public const int HeadSize = 8;

    public uint DbId { get; init; }
    public int Count { get; init; }
    /// <summary>The bytes of the <see cref="Count"/> records, without the 8-byte head.</summary>
    public ReadOnlySpan<byte> Records { get; init; }

    public int EncodedSize => HeadSize + Records.Length;

    public int Write(Span<byte> buffer)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, DbId);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[4..], (uint)Count);
        Records.CopyTo(buffer[HeadSize..]);
        return EncodedSize;
    }

    /// <summary>Reads the head and checks every record, so later enumeration is safe.</summary>
    public static RecBuffer Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, HeadSize, "rec buffer");
        int count = Wire.CheckCount(data, HeadSize, BinaryPrimitives.ReadUInt32LittleEndian(data[4..]), RecData.HeadSize, "rec buffer");
        int offset = HeadSize;
        for (int i = 0; i < count; i++)
        {
            RecData.Read(data[offset..], out int consumed);
            offset += consumed;
        }
        return new RecBuffer
        {
            DbId = BinaryPrimitives.ReadUInt32LittleEndian(data),
            Count = count,
            Records = data[HeadSize..offset],
        };
    }

    public Enumerator GetEnumerator() => new(Records, Count);

    /// <summary>Walks the records of a validated buffer.</summary>
    public ref struct Enumerator
    {
        private ReadOnlySpan<byte> _rest;
        private int _remaining;

        internal Enumerator(ReadOnlySpan<byte> records, int count)
        {
            _rest = records;
            _remaining = count;
            Current = default;
        }

        public RecData Current { get; private set; }

        public bool MoveNext()
        {
            if (_remaining == 0)
            {
                return false;
            }
            Current = RecData.Read(_rest, out int consumed);
            _rest = _rest[consumed..];
            _remaining--;
            return true;
        }
    }
}
