// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Protocol.Tests;

/// <summary>
/// One codec under test: makes a random valid encoding, decodes and re-encodes bytes, and
/// knows which u32 fields are lengths or counts and how short an input may get before
/// reading must fail.
/// </summary>
internal sealed class CodecCase
{
    public delegate int SpanWriter(Span<byte> buffer);

    public required string Name { get; init; }
    public required Func<Random, byte[]> Generate { get; init; }
    /// <summary>Read, then write again; returns the bytes written.</summary>
    public required Func<byte[], byte[]> Reencode { get; init; }
    /// <summary>
    /// Read only, for fuzzing; needed where writing back a decoded garbage value may be
    /// refused by the writer (e.g. an interface name that grew past its field).
    /// </summary>
    public Action<byte[]>? DecodeOnly { get; init; }
    /// <summary>Offsets of u32 length/count fields: values past the end must be rejected.</summary>
    public int[] LengthFields { get; init; } = [];
    /// <summary>
    /// Prefixes shorter than this must fail to read; defaults to the whole encoding. (Packets
    /// exclude their pad; REQ/REPLY_DMASTER may also lose their optional trailing flags.)
    /// </summary>
    public Func<byte[], int> MinimumValid { get; init; } = b => b.Length;
    /// <summary>Prefix lengths below <see cref="MinimumValid"/> that are legal anyway.</summary>
    public Func<int, bool> AlsoValid { get; init; } = _ => false;

    public override string ToString() => Name;

    public static byte[] Encode(int size, SpanWriter write)
    {
        var buffer = new byte[size + 64];
        Array.Fill(buffer, (byte)0xA5); // writers must set every byte they claim
        int n = write(buffer);
        Assert.Equal(size, n);
        return buffer[..n];
    }
}
