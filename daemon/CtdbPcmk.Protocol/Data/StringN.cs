// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>stringn: u32 length (including the NUL) followed by the bytes; GET_TUNABLE input.</summary>
public static class StringN
{
    public static int GetEncodedSize(string value) => 4 + CString.GetEncodedSize(value);

    public static int Write(Span<byte> buffer, string value)
    {
        int n = CString.Write(buffer[4..], value);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)n);
        return 4 + n;
    }

    /// <summary>Reads the string; a length of 0 is the empty string, a missing NUL is tolerated.</summary>
    public static string Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, 4, "stringn");
        var text = Wire.Slice(data, 4, BinaryPrimitives.ReadUInt32LittleEndian(data), "stringn");
        return CString.Decode(text);
    }

    /// <summary>Bytes a stringn occupies in <paramref name="data"/> (4 + declared length).</summary>
    public static int GetReadSize(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, 4, "stringn");
        return 4 + Wire.Slice(data, 4, BinaryPrimitives.ReadUInt32LittleEndian(data), "stringn").Length;
    }
}
