// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Net;
using CtdbPcmk.Packets;

namespace CtdbPcmk.Portblock.Tests;

public sealed class TcpTickleTests
{
    // Expected bytes were computed field by field, independently of the builder.
    [Theory]
    [InlineData("192.0.2.50:445", "192.0.2.10:40000", 0x1234,
        "4500002812340000ff06255fc0000232c000020a01bd9c400000000000000000501004d288c80000")]
    [InlineData("[fd00::50]:445", "[fd00::10]:40000", 0x1234,
        "6000000000140640fd000000000000000000000000000050fd00000000000000000000000000001001bd9c400000000000000000501004d212a40000")]
    [InlineData("[::ffff:192.0.2.50]:445", "192.0.2.10:40000", 0x1234,
        "4500002812340000ff06255fc0000232c000020a01bd9c400000000000000000501004d288c80000")]
    public void TickleAckIsByteExact(string source, string target, ushort id, string hex)
    {
        var packet = TcpTickle.TickleAck(IPEndPoint.Parse(source), IPEndPoint.Parse(target), id);
        Assert.Equal(hex, Convert.ToHexStringLower(packet));
    }

    [Theory]
    [InlineData("192.0.2.50:445", "192.0.2.10:40000", 0x01020304u, 0x0a0b0c0du, 0xbeef,
        "45000028beef0000ff0678a3c0000232c000020a01bd9c40010203040a0b0c0d501404d26ea60000")]
    [InlineData("[2001:db8::1]:2049", "[2001:db8:ffff::2]:987", 0xfffffffeu, 1u, 0,
        "600000000014064020010db800000000000000000000000120010db8ffff00000000000000000002080103dbfffffffe00000001501404d243ae0000")]
    public void ResetIsByteExact(string source, string target, uint seq, uint ack, ushort id, string hex)
    {
        var packet = TcpTickle.Reset(IPEndPoint.Parse(source), IPEndPoint.Parse(target), seq, ack, id);
        Assert.Equal(hex, Convert.ToHexStringLower(packet));
    }

    [Theory]
    [InlineData("10.1.2.3:1", "10.255.0.7:65535")]
    [InlineData("[fe80::1]:139", "[fe80::abcd:ef01:2345:6789]:51234")]
    [InlineData("255.255.255.255:65535", "0.0.0.0:0")]
    public void ChecksumsVerify(string source, string target)
    {
        var random = new Random(source.Length * 31 + target.Length);
        for (var i = 0; i < 200; i++)
        {
            var seq = (uint)random.NextInt64(0, 1L << 32);
            var ack = (uint)random.NextInt64(0, 1L << 32);
            var packet = TcpTickle.Build(IPEndPoint.Parse(source), IPEndPoint.Parse(target),
                (TcpControlBits)random.Next(0, 0x20), seq, ack, (ushort)random.Next(1, 65536));
            Assert.True(TcpChecksumValid(packet), Convert.ToHexString(packet));
            if (packet[0] >> 4 == 4)
            {
                Assert.Equal(0, InternetChecksum.Compute(packet.AsSpan(0, 20)));
            }
        }
    }

    [Fact]
    public void HeaderFieldsFollowTheTickleConvention()
    {
        var v4 = TcpTickle.TickleAck(IPEndPoint.Parse("192.0.2.50:445"), IPEndPoint.Parse("192.0.2.10:40000"), 7);
        Assert.Equal(40, v4.Length);
        Assert.Equal(255, v4[8]);                                        // TTL
        Assert.Equal((byte)TcpControlBits.Ack, v4[20 + 13]);
        Assert.Equal(1234, BinaryPrimitives.ReadUInt16BigEndian(v4.AsSpan(20 + 14)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(v4.AsSpan(24)));  // seq
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(v4.AsSpan(28)));  // ack
        var v6 = TcpTickle.TickleAck(IPEndPoint.Parse("[fd00::50]:445"), IPEndPoint.Parse("[fd00::10]:1"), 7);
        Assert.Equal(60, v6.Length);
        Assert.Equal(64, v6[7]);                                         // hop limit
    }

    [Fact]
    public void RejectsMixedFamiliesAndShortBuffers()
    {
        Assert.Throws<ArgumentException>(() =>
            TcpTickle.TickleAck(IPEndPoint.Parse("192.0.2.50:445"), IPEndPoint.Parse("[fd00::1]:1"), 1));
        Assert.Throws<ArgumentException>(() => TcpTickle.Write(new byte[39],
            IPEndPoint.Parse("192.0.2.50:445"), IPEndPoint.Parse("192.0.2.1:1"), TcpControlBits.Ack, 0, 0, 1));
    }

    /// <summary>Recomputes the TCP checksum over the pseudo header, independently of the builder.</summary>
    internal static bool TcpChecksumValid(byte[] packet)
    {
        var v4 = packet[0] >> 4 == 4;
        var ipLength = v4 ? 20 : 40;
        var tcp = packet.AsSpan(ipLength);
        var pseudo = new List<byte>();
        if (v4)
        {
            pseudo.AddRange(packet.AsSpan(12, 8).ToArray());
            pseudo.AddRange([0, 6, 0, (byte)tcp.Length]);
        }
        else
        {
            pseudo.AddRange(packet.AsSpan(8, 32).ToArray());
            pseudo.AddRange([0, 0, 0, (byte)tcp.Length, 0, 0, 0, 6]);
        }

        pseudo.AddRange(tcp.ToArray());
        long sum = 0;
        for (var i = 0; i < pseudo.Count; i += 2)
        {
            sum += (pseudo[i] << 8) | (i + 1 < pseudo.Count ? pseudo[i + 1] : 0);
        }

        while (sum >> 16 != 0)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return sum == 0xffff;
    }
}
