// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Client;

/// <summary>
/// Encodes the TRANS3_COMMIT payload: a marshall buffer (u32 db_id, u32 count) followed by
/// back-to-back rec_data entries {u32 length, u32 reqid, u32 keylen, u32 datalen, key, data}
/// whose data is the 24-byte ltdb header plus the value, with no alignment between entries.
/// </summary>
internal static class CommitBuffer
{
    private const int BufferHeaderSize = 8;
    private const int RecordHeaderSize = 16;

    public static int GetSize(ReadOnlySpan<TransactionRecord> records)
    {
        long size = BufferHeaderSize;
        foreach (var r in records)
        {
            size += RecordHeaderSize + r.Key.Length + LtdbHeader.Size + r.Value.Length;
        }
        if (size > WireFormat.MaxPacketSize)
        {
            throw new ArgumentException($"commit of {size} bytes exceeds the {WireFormat.MaxPacketSize}-byte packet limit", nameof(records));
        }
        return (int)size;
    }

    public static int Write(Span<byte> buffer, uint dbId, ReadOnlySpan<TransactionRecord> records)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, dbId);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[4..], (uint)records.Length);
        int off = BufferHeaderSize;
        foreach (var r in records)
        {
            if (r.Key.IsEmpty)
            {
                throw new ArgumentException("a committed record needs a non-empty key", nameof(records));
            }
            int dataLen = LtdbHeader.Size + r.Value.Length;
            int length = RecordHeaderSize + r.Key.Length + dataLen;
            var rec = buffer.Slice(off, length);
            BinaryPrimitives.WriteUInt32LittleEndian(rec, (uint)length);
            BinaryPrimitives.WriteUInt32LittleEndian(rec[4..], 0);
            BinaryPrimitives.WriteUInt32LittleEndian(rec[8..], (uint)r.Key.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(rec[12..], (uint)dataLen);
            r.Key.Span.CopyTo(rec[RecordHeaderSize..]);
            r.Header.Write(rec[(RecordHeaderSize + r.Key.Length)..]);
            r.Value.Span.CopyTo(rec[(RecordHeaderSize + r.Key.Length + LtdbHeader.Size)..]);
            off += length;
        }
        return off;
    }
}
