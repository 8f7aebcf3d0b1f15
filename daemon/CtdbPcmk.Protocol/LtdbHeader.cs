// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>
/// The 24-byte header CTDB keeps in front of every record value in its TDB files
/// (mirrors struct ctdb_ltdb_header: u64 rsn, u32 dmaster, u32 reserved1, u32 flags, 4 pad).
/// </summary>
public record struct LtdbHeader(ulong Rsn, uint Dmaster, uint Flags)
{
    public const int Size = WireFormat.LtdbHeaderSize;

    public const uint FlagMigratedWithData = 0x00010000;
    public const uint FlagVacuumMigrated = 0x00020000;
    public const uint FlagAutomatic = 0x00040000;
    public const uint FlagRoHaveDelegations = 0x01000000;
    public const uint FlagRoHaveReadonly = 0x02000000;
    public const uint FlagRoRevokingReadonly = 0x04000000;
    public const uint FlagRoRevokeComplete = 0x08000000;
    public const uint FlagRoMask = 0x0F000000;

    public readonly void Write(Span<byte> buffer)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(buffer, Rsn);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[8..], Dmaster);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[12..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[16..], Flags);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[20..], 0);
    }

    public static LtdbHeader Read(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length < Size)
        {
            ProtocolException.Truncated("ltdb header", Size, buffer.Length);
        }
        return new LtdbHeader(
            BinaryPrimitives.ReadUInt64LittleEndian(buffer),
            BinaryPrimitives.ReadUInt32LittleEndian(buffer[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(buffer[16..]));
    }

    /// <summary>Reads the header of a stored value, or returns false when the value is shorter than a header.</summary>
    public static bool TryRead(ReadOnlySpan<byte> value, out LtdbHeader header)
    {
        if (value.Length < Size)
        {
            header = default;
            return false;
        }
        header = Read(value);
        return true;
    }
}
