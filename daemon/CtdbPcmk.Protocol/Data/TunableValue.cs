// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>SET_TUNABLE input (struct ctdb_tunable_old): u32 value, u32 length (incl. NUL), name.</summary>
public sealed record TunableValue(uint Value, string Name)
{
    public int EncodedSize => 8 + CString.GetEncodedSize(Name);

    public int Write(Span<byte> buffer)
    {
        int n = CString.Write(buffer[8..], Name);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, Value);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[4..], (uint)n);
        return 8 + n;
    }

    public static TunableValue Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, 8, "tunable");
        var name = Wire.Slice(data, 8, BinaryPrimitives.ReadUInt32LittleEndian(data[4..]), "tunable name");
        return new TunableValue(BinaryPrimitives.ReadUInt32LittleEndian(data), CString.Decode(name));
    }
}
