// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol.Tests;

public class HeaderAndFramingTests
{
    private static byte[] ValidHeader(uint length = 48)
    {
        var b = new byte[32];
        new PacketHeader(length, 7, Operation.ReqMessage, 1, 2, 3).Write(b);
        return b;
    }

    [Fact]
    public void Header_round_trips()
    {
        var b = ValidHeader();
        Assert.Equal("3000000042445443010000000700000005000000010000000200000003000000", Hex.Of(b));
        var h = PacketHeader.Read(b);
        Assert.Equal(new PacketHeader(48, 7, Operation.ReqMessage, 1, 2, 3), h);
    }

    public static TheoryData<string, int, uint> BadHeaders => new()
    {
        { "bad magic", 4, 0x43544443 },
        { "magic byte-swapped", 4, 0x42445443 },
        { "version 0", 8, 0 },
        { "version 2", 8, 2 },
        { "length 0", 0, 0 },
        { "length 31", 0, 31 },
    };

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public void Bad_headers_are_rejected(string what, int offset, uint value)
    {
        var b = ValidHeader();
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(offset), value);
        var e = Assert.Throws<ProtocolException>(() => PacketHeader.Read(b));
        Assert.False(string.IsNullOrEmpty(e.Message), what);
    }

    [Fact]
    public void Truncated_header_is_rejected_at_every_length()
    {
        var b = ValidHeader();
        for (int k = 0; k < PacketHeader.Size; k++)
        {
            Assert.Throws<ProtocolException>(() => PacketHeader.Read(b.AsSpan(0, k)));
        }
    }

    [Fact]
    public void Framing_needs_four_bytes()
    {
        var b = ValidHeader(72);
        for (int k = 0; k < 4; k++)
        {
            Assert.False(Framing.TryGetPacketLength(b.AsSpan(0, k), out _));
        }
        Assert.True(Framing.TryGetPacketLength(b.AsSpan(0, 4), out int length));
        Assert.Equal(72, length);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    [InlineData(31u)]
    [InlineData((uint)WireFormat.MaxPacketSize + 1)]
    [InlineData(0xFFFFFFFFu)]
    public void Framing_rejects_impossible_lengths(uint declared)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, declared);
        Assert.Throws<ProtocolException>(() => Framing.TryGetPacketLength(b, out _));
    }

    [Theory]
    [InlineData(32u)]
    [InlineData(33u)]
    [InlineData((uint)WireFormat.MaxPacketSize)]
    public void Framing_accepts_unpadded_and_maximal_lengths(uint declared)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, declared);
        Assert.True(Framing.TryGetPacketLength(b, out int length));
        Assert.Equal((int)declared, length);
    }

    [Fact]
    public void Framing_does_not_look_past_the_length()
    {
        // Garbage after the length (bad magic) is the header reader's business, not framing's.
        var b = Hex.Parse("40000000 ffffffff");
        Assert.True(Framing.TryGetPacketLength(b, out int length));
        Assert.Equal(64, length);
    }
}
