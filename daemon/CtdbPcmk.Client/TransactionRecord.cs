// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Client;

/// <summary>
/// One record of a persistent-database commit: key, the new ltdb header (rsn above the stored
/// one, dmaster = this node) and the new value (empty = delete).
/// </summary>
public readonly record struct TransactionRecord(ReadOnlyMemory<byte> Key, LtdbHeader Header, ReadOnlyMemory<byte> Value)
{
    /// <summary>Key of the record every persistent commit carries: "__db_sequence_number__" with its NUL.</summary>
    public static ReadOnlyMemory<byte> SequenceNumberKey { get; } = "__db_sequence_number__\0"u8.ToArray();

    /// <summary>
    /// The sequence-number record of a commit: value = the new u64 seqnum, header rsn = that
    /// seqnum (it moves by one per commit, so it always exceeds the stored rsn).
    /// </summary>
    public static TransactionRecord SequenceNumber(ulong newSeqnum, uint pnn)
    {
        var value = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(value, newSeqnum);
        return new TransactionRecord(SequenceNumberKey, new LtdbHeader(newSeqnum, pnn, 0), value);
    }
}
