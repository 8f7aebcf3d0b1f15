// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>
/// Builds a marshall buffer in place. The head (db_id, count) is kept current after every
/// record, so <see cref="Length"/> bytes of the buffer are a valid rec buffer at any time.
/// </summary>
public ref struct RecBufferWriter
{
    private readonly Span<byte> _buffer;

    public RecBufferWriter(Span<byte> buffer, uint dbId)
    {
        if (buffer.Length < RecBuffer.HeadSize)
        {
            throw new ArgumentException("buffer too small for a rec buffer head", nameof(buffer));
        }
        _buffer = buffer;
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, dbId);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[4..], 0);
        Length = RecBuffer.HeadSize;
    }

    public int Count { get; private set; }

    /// <summary>Bytes written so far, head included.</summary>
    public int Length { get; private set; }

    /// <summary>The rec buffer written so far.</summary>
    public readonly ReadOnlySpan<byte> Written => _buffer[..Length];

    /// <summary>Appends a record with raw data; false (nothing written) when it does not fit.</summary>
    public bool TryAdd(uint reqId, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
    {
        if (RecData.GetEncodedSize(key.Length, data.Length) > _buffer.Length - Length)
        {
            return false;
        }
        Advance(RecData.Write(_buffer[Length..], reqId, key, data));
        return true;
    }

    /// <summary>Appends a record whose data is an ltdb header plus value; false when it does not fit.</summary>
    public bool TryAdd(uint reqId, ReadOnlySpan<byte> key, LtdbHeader header, ReadOnlySpan<byte> value)
    {
        if (RecData.GetEncodedSize(key.Length, LtdbHeader.Size + value.Length) > _buffer.Length - Length)
        {
            return false;
        }
        Advance(RecData.Write(_buffer[Length..], reqId, key, header, value));
        return true;
    }

    private void Advance(int written)
    {
        Length += written;
        Count++;
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer[4..], (uint)Count);
    }
}
