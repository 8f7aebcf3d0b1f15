// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Client;

/// <summary>
/// Sizes and writes the TRANS3_COMMIT payload: a marshall buffer whose records carry the ltdb
/// header in front of the value.
/// </summary>
internal static class CommitBuffer
{
    public static int GetSize(ReadOnlySpan<TransactionRecord> records)
    {
        long size = RecBuffer.HeadSize;
        foreach (var r in records)
        {
            if (r.Key.IsEmpty)
            {
                throw new ArgumentException("a committed record needs a non-empty key", nameof(records));
            }
            size += RecData.GetEncodedSize(r.Key.Length, LtdbHeader.Size + r.Value.Length);
        }
        if (size > WireFormat.MaxPacketSize)
        {
            throw new ArgumentException($"commit of {size} bytes exceeds the {WireFormat.MaxPacketSize}-byte packet limit", nameof(records));
        }
        return (int)size;
    }

    /// <summary>Writes into a buffer of exactly <see cref="GetSize"/> bytes.</summary>
    public static void Write(Span<byte> buffer, uint dbId, ReadOnlySpan<TransactionRecord> records)
    {
        var writer = new RecBufferWriter(buffer, dbId);
        foreach (var r in records)
        {
            if (!writer.TryAdd(0, r.Key.Span, r.Header, r.Value.Span))
            {
                throw new InvalidOperationException("commit buffer smaller than its computed size");
            }
        }
    }
}
