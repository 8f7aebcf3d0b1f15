// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>
/// One marshalled record (struct ctdb_rec_data_old): u32 length of the whole record including
/// the 16-byte head, u32 reqid, u32 keylen, u32 datalen, key, data. In every use data is a
/// 24-byte ltdb header followed by the value. Records are packed back to back, unaligned.
/// A view over the source bytes: reading allocates nothing.
/// </summary>
public readonly ref struct RecData
{
    public const int HeadSize = 16;

    public uint ReqId { get; init; }
    public ReadOnlySpan<byte> Key { get; init; }
    public ReadOnlySpan<byte> Data { get; init; }

    public int EncodedSize => HeadSize + Key.Length + Data.Length;

    /// <summary>The traverse end marker: a record with neither key nor data.</summary>
    public bool IsEndMarker => Key.IsEmpty && Data.IsEmpty;

    /// <summary>The ltdb header at the start of <see cref="Data"/>.</summary>
    public LtdbHeader Header => LtdbHeader.Read(Data);

    /// <summary>The record value after the ltdb header.</summary>
    public ReadOnlySpan<byte> Value => Data.Length >= LtdbHeader.Size
        ? Data[LtdbHeader.Size..]
        : ProtocolException.Throw<byte[]>($"record data of {Data.Length} bytes has no ltdb header");

    public static int GetEncodedSize(int keyLength, int dataLength) => HeadSize + keyLength + dataLength;

    public int Write(Span<byte> buffer) => Write(buffer, ReqId, Key, Data);

    public static int Write(Span<byte> buffer, uint reqId, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
    {
        int size = GetEncodedSize(key.Length, data.Length);
        WriteHead(buffer, size, reqId, key, data.Length);
        data.CopyTo(buffer[(HeadSize + key.Length)..]);
        return size;
    }

    /// <summary>Writes a record whose data is <paramref name="header"/> followed by <paramref name="value"/>.</summary>
    public static int Write(Span<byte> buffer, uint reqId, ReadOnlySpan<byte> key, LtdbHeader header, ReadOnlySpan<byte> value)
    {
        int dataLength = LtdbHeader.Size + value.Length;
        int size = GetEncodedSize(key.Length, dataLength);
        WriteHead(buffer, size, reqId, key, dataLength);
        int offset = HeadSize + key.Length;
        header.Write(buffer[offset..]);
        value.CopyTo(buffer[(offset + LtdbHeader.Size)..]);
        return size;
    }

    /// <summary>Writes the 16-byte end-of-traverse marker.</summary>
    public static int WriteEndMarker(Span<byte> buffer, uint reqId) => Write(buffer, reqId, default, default);

    public static RecData Read(ReadOnlySpan<byte> data) => Read(data, out _);

    /// <summary>
    /// Reads one record; <paramref name="consumed"/> is its length field. A length larger than
    /// head + key + data is tolerated (the extra bytes are skipped), a smaller one is not.
    /// </summary>
    public static RecData Read(ReadOnlySpan<byte> data, out int consumed)
    {
        Wire.Require(data, HeadSize, "rec_data");
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(data);
        uint keyLen = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
        uint dataLen = BinaryPrimitives.ReadUInt32LittleEndian(data[12..]);
        if (length > (uint)data.Length)
        {
            ProtocolException.Throw($"rec_data: length {length} beyond the {data.Length} bytes available");
        }
        if ((ulong)HeadSize + keyLen + dataLen > length)
        {
            ProtocolException.Throw($"rec_data: keylen {keyLen} + datalen {dataLen} exceed record length {length}");
        }
        consumed = (int)length;
        return new RecData
        {
            ReqId = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]),
            Key = data.Slice(HeadSize, (int)keyLen),
            Data = data.Slice(HeadSize + (int)keyLen, (int)dataLen),
        };
    }

    private static void WriteHead(Span<byte> buffer, int size, uint reqId, ReadOnlySpan<byte> key, int dataLength)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)size);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[4..], reqId);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[8..], (uint)key.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[12..], (uint)dataLength);
        key.CopyTo(buffer[HeadSize..]);
    }
}
