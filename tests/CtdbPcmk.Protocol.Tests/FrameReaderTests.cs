// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Protocol.Tests;

public class FrameReaderTests
{
    private static byte[] Packet(int length, byte fill)
    {
        var b = new byte[length];
        Array.Fill(b, fill);
        new PacketHeader((uint)length, 1, Operation.ReqMessage, 0, 0, fill).Write(b);
        return b;
    }

    /// <summary>Feeds <paramref name="bytes"/> in pieces of at most <paramref name="chunk"/> bytes, taking packets as they complete.</summary>
    private static List<byte[]> Feed(FrameReader reader, byte[] bytes, int chunk)
    {
        var packets = new List<byte[]>();
        int at = 0;
        while (at < bytes.Length)
        {
            var room = reader.FreeSpace();
            Assert.False(room.IsEmpty);
            int n = Math.Min(Math.Min(chunk, room.Length), bytes.Length - at);
            bytes.AsSpan(at, n).CopyTo(room);
            reader.Advance(n);
            at += n;
            while (reader.TryTake(out int offset, out int length))
            {
                packets.Add(reader.Buffer.AsSpan(offset, length).ToArray());
            }
        }
        return packets;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(40)]
    [InlineData(1 << 20)]
    public void Packets_come_out_whole_however_the_bytes_arrive(int chunk)
    {
        var first = Packet(40, 0x11);
        var second = Packet(100_000, 0x22);
        var third = Packet(32, 0x33);
        var reader = new FrameReader(64);
        var packets = Feed(reader, [.. first, .. second, .. third], chunk);
        Assert.Equal(3, packets.Count);
        Assert.Equal(first, packets[0]);
        Assert.Equal(second, packets[1]);
        Assert.Equal(third, packets[2]);
    }

    [Fact]
    public void A_large_declared_length_grows_the_buffer_only_as_its_bytes_arrive()
    {
        var reader = new FrameReader(1024);
        var header = Packet(WireFormat.MaxPacketSize, 0x44).AsSpan(0, 32).ToArray();
        Assert.Empty(Feed(reader, header, 32));
        // The header alone is all there is: the buffer has not grown towards the declared size.
        Assert.True(reader.Buffer.Length <= 2048, $"buffer of {reader.Buffer.Length} bytes after a 32-byte header");
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(31u)]
    [InlineData(64u * 1024 * 1024 + 1)]
    public void A_length_no_stream_recovers_from_throws(uint length)
    {
        var reader = new FrameReader(64);
        var room = reader.FreeSpace();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(room, length);
        reader.Advance(4);
        Assert.Throws<ProtocolException>(() => reader.TryTake(out _, out _));
    }

    [Fact]
    public void A_connection_limit_below_the_protocol_limit_is_enforced()
    {
        var reader = new FrameReader(64, maxPacket: 1000);
        var packet = Packet(2000, 0x55);
        Assert.Throws<ProtocolException>(() => Feed(reader, packet, 64));
    }
}
