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
                packets.Add(reader.Buffer.Span.Slice(offset, length).ToArray());
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

    /// <summary>Reads what fits of <paramref name="bytes"/> from <paramref name="at"/> without growing the buffer; returns the new position.</summary>
    private static int FillRoom(FrameReader reader, byte[] bytes, int at)
    {
        var room = reader.FreeSpace();
        int n = Math.Min(room.Length, bytes.Length - at);
        bytes.AsSpan(at, n).CopyTo(room);
        reader.Advance(n);
        return at + n;
    }

    [Fact]
    public void Growth_past_a_threshold_is_announced_with_the_packets_length_and_read_into_the_buffer_given()
    {
        const int Threshold = 4096;
        var reader = new FrameReader(1024);
        var large = Packet(50_000, 0x66);
        var next = Packet(100, 0x77);
        byte[] stream = [.. large, .. next];
        int at = 0;
        // Below the threshold the buffer grows as bytes arrive, unannounced.
        while (reader.Buffer.Length < Threshold)
        {
            Assert.Equal(0, reader.LargeGrowth(Threshold));
            at = FillRoom(reader, stream, at);
        }
        Assert.Equal(Threshold, reader.Buffer.Length);
        Assert.Equal(large.Length, reader.LargeGrowth(Threshold));
        reader.Adopt(new byte[large.Length]);
        Assert.Equal(large.Length, reader.Buffer.Length);
        while (at < large.Length)
        {
            at = FillRoom(reader, stream, at);
            Assert.Equal(large.Length, reader.Buffer.Length);
        }
        Assert.True(reader.TryTake(out int offset, out int length));
        Assert.Equal(large, reader.Buffer.Span.Slice(offset, length).ToArray());
        Assert.False(reader.TryTake(out _, out _));

        // The large packet handled, the buffer is given back at once, not at the next read.
        var adopted = reader.Buffer;
        Assert.Equal(adopted, reader.Trim());
        Assert.Equal(1024, reader.Buffer.Length);
        Assert.Null(reader.Trim());
        at = FillRoom(reader, stream, at);
        Assert.True(reader.TryTake(out offset, out length));
        Assert.Equal(next, reader.Buffer.Span.Slice(offset, length).ToArray());
    }

    [Theory]
    [InlineData(600, true)]
    [InlineData(5000, false)]
    public void Trim_keeps_unread_bytes_and_the_large_buffer_while_they_need_it(int partialBytes, bool shrinks)
    {
        var reader = new FrameReader(1024);
        var first = Packet(3000, 0x12);
        var second = Packet(10_000, 0x34);
        byte[] stream = [.. first, .. second];
        var arrived = stream.AsSpan(0, first.Length + partialBytes).ToArray();
        int at = FillRoom(reader, arrived, 0);
        reader.Adopt(new byte[50_000]);
        at = FillRoom(reader, arrived, at);
        Assert.True(reader.TryTake(out _, out _));
        Assert.Equal(shrinks, reader.Trim() is not null);
        Assert.Equal(shrinks ? 1024 : 50_000, reader.Buffer.Length);
        Assert.Equal([second], Feed(reader, stream.AsSpan(at).ToArray(), 1 << 20));
    }
}
