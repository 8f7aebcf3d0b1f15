// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Protocol.Tests;

public class RecBufferTests
{
    private static byte[] Build(int records)
    {
        var buffer = new byte[8 + (records * 64)];
        var writer = new RecBufferWriter(buffer, 0x7a19d84d);
        for (int i = 0; i < records; i++)
        {
            Assert.True(writer.TryAdd((uint)i, BitConverter.GetBytes(i), new LtdbHeader((ulong)i, 1, 0), "value"u8));
        }
        return writer.Written.ToArray();
    }

    [Fact]
    public void Enumerating_records_allocates_nothing()
    {
        var bytes = Build(500);
        long Sum()
        {
            long total = 0;
            var buffer = RecBuffer.Read(bytes);
            foreach (var rec in buffer)
            {
                total += (long)rec.Header.Rsn + rec.Key.Length + rec.Value.Length;
            }
            return total;
        }
        long expected = Sum();
        Sum();
        long before = GC.GetAllocatedBytesForCurrentThread();
        long got = Sum();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(expected, got);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Writer_stops_when_full_and_stays_valid()
    {
        var buffer = new byte[8 + 16 + 24 + 10];
        var writer = new RecBufferWriter(buffer, 9);
        Assert.True(writer.TryAdd(1, "k"u8, new LtdbHeader(1, 0, 0), "v"u8));
        Assert.False(writer.TryAdd(2, "k"u8, new LtdbHeader(1, 0, 0), "v"u8));
        Assert.Equal(1, writer.Count);
        var read = RecBuffer.Read(writer.Written);
        Assert.Equal(9u, read.DbId);
        Assert.Equal(1, read.Count);
    }

    [Fact]
    public void End_marker_is_16_bytes()
    {
        var b = new byte[16];
        Assert.Equal(16, RecData.WriteEndMarker(b, 0x1234));
        Assert.Equal("10000000341200000000000000000000", Hex.Of(b));
        Assert.True(RecData.Read(b).IsEndMarker);
    }

    [Fact]
    public void Record_without_ltdb_header_has_no_value()
    {
        var b = new byte[RecData.GetEncodedSize(1, 3)];
        RecData.Write(b, 0, "k"u8, "abc"u8);
        var rec = RecData.Read(b);
        Assert.Equal(3, rec.Data.Length);
        try
        {
            _ = rec.Value.Length;
            Assert.Fail("expected ProtocolException");
        }
        catch (ProtocolException)
        {
        }
    }

    [Fact]
    public void Huge_count_is_rejected_before_walking()
    {
        var b = Build(2);
        BitConverter.GetBytes(0x10000000u).CopyTo(b, 4);
        Assert.Throws<ProtocolException>(() => RecBuffer.Read(b));
    }
}
