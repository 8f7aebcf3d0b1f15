// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>
/// Reply of the product's PCMK_GET_LEADER_STATE control (28 bytes, little-endian u32s): what
/// the OCF agent's monitor and the harness need to know about the local node's role.
/// </summary>
/// <param name="Pnn">The local node.</param>
/// <param name="Leader">The leader this node follows, or <see cref="WireFormat.UnknownPnn"/>.</param>
/// <param name="Term">Leadership term this node has accepted (grows with every new leader).</param>
/// <param name="Generation">Current vnn-map generation.</param>
/// <param name="RecoveryMode">Current recovery mode.</param>
/// <param name="NodeFlags">This node's own flags.</param>
/// <param name="Recovered">Non-zero once this node is part of a completed recovery of the current membership.</param>
public readonly record struct LeaderState(
    uint Pnn,
    uint Leader,
    uint Term,
    uint Generation,
    RecoveryMode RecoveryMode,
    uint NodeFlags,
    uint Recovered)
{
    public const int Size = 28;

    public bool IsLeader => Leader == Pnn;

    public int Write(Span<byte> buffer)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, Pnn);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[4..], Leader);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[8..], Term);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[12..], Generation);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[16..], (uint)RecoveryMode);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[20..], NodeFlags);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[24..], Recovered);
        return Size;
    }

    public static LeaderState Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, Size, "leader state");
        return new LeaderState(
            BinaryPrimitives.ReadUInt32LittleEndian(data),
            BinaryPrimitives.ReadUInt32LittleEndian(data[4..]),
            BinaryPrimitives.ReadUInt32LittleEndian(data[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(data[12..]),
            (RecoveryMode)BinaryPrimitives.ReadUInt32LittleEndian(data[16..]),
            BinaryPrimitives.ReadUInt32LittleEndian(data[20..]),
            BinaryPrimitives.ReadUInt32LittleEndian(data[24..]));
    }
}
