// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Protocol;

/// <summary>Bounds checks shared by the data codecs; every failure is a <see cref="ProtocolException"/>.</summary>
internal static class Wire
{
    public static void Require(ReadOnlySpan<byte> data, int need, string what)
    {
        if (data.Length < need)
        {
            ProtocolException.Truncated(what, need, data.Length);
        }
    }

    /// <summary>
    /// Checks that <paramref name="count"/> elements of <paramref name="elementSize"/> bytes fit in
    /// the bytes after <paramref name="offset"/> before anything is allocated for them, and
    /// returns the count as an int.
    /// </summary>
    public static int CheckCount(ReadOnlySpan<byte> data, int offset, uint count, int elementSize, string what)
    {
        long need = offset + ((long)count * elementSize);
        if (need > data.Length)
        {
            ProtocolException.Throw($"{what}: {count} entries of {elementSize} bytes need {need} bytes, have {data.Length}");
        }
        return (int)count;
    }

    /// <summary>Slices <paramref name="length"/> bytes at <paramref name="offset"/>, throwing if they are not there.</summary>
    public static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> data, int offset, uint length, string what)
    {
        if (offset > data.Length || length > (uint)(data.Length - offset))
        {
            ProtocolException.Throw($"{what}: {length} bytes declared at offset {offset}, have {data.Length}");
        }
        return data.Slice(offset, (int)length);
    }
}
