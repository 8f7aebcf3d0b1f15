// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol.Tests;

/// <summary>
/// Malformed input must raise <see cref="ProtocolException"/> and nothing else: truncation at
/// every byte boundary, length and count fields pointing past the end, random corruption.
/// </summary>
public class MalformedInputTests
{
    public static TheoryData<string> Codecs => AllCodecs.Names;

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Truncation_at_every_byte_boundary_is_rejected(string codec)
    {
        var c = AllCodecs.Get(codec);
        Seeds.ForEach(codec, (rng, _) =>
        {
            var bytes = c.Generate(rng);
            int minimum = c.MinimumValid(bytes);
            for (int k = 0; k < bytes.Length; k++)
            {
                var prefix = bytes[..k];
                if (k < minimum && !c.AlsoValid(k))
                {
                    var e = Record.Exception(() => c.Reencode(prefix));
                    Assert.True(e is ProtocolException, $"{codec}: {k} of {bytes.Length} bytes gave {e?.GetType().Name ?? "no exception"}");
                }
                else
                {
                    AssertOnlyProtocolErrors(() => c.Reencode(prefix), codec);
                }
            }
        }, defaultLast: 40);
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Length_and_count_fields_past_the_end_are_rejected(string codec)
    {
        var c = AllCodecs.Get(codec);
        Seeds.ForEach(codec, (rng, _) =>
        {
            var bytes = c.Generate(rng);
            bytes = bytes[..c.MinimumValid(bytes)];
            foreach (int offset in c.LengthFields.Where(o => o + 4 <= bytes.Length))
            {
                foreach (uint value in new[] { (uint)bytes.Length + 1, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFFu })
                {
                    var bad = bytes.ToArray();
                    BinaryPrimitives.WriteUInt32LittleEndian(bad.AsSpan(offset), value);
                    var e = Record.Exception(() => c.Reencode(bad));
                    Assert.True(e is ProtocolException, $"{codec}: field at {offset} = 0x{value:x} gave {e?.GetType().Name ?? "no exception"}");
                }
            }
        }, defaultLast: 100);
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Random_corruption_raises_only_protocol_errors(string codec)
    {
        var c = AllCodecs.Get(codec);
        var decode = c.DecodeOnly ?? (b => c.Reencode(b));
        Seeds.ForEach(codec, (rng, _) =>
        {
            var bytes = c.Generate(rng);
            for (int round = 0; round < 10; round++)
            {
                var bad = Mutate(rng, bytes);
                AssertOnlyProtocolErrors(() => decode(bad), codec);
            }
        });
    }

    [Fact]
    public void Random_bytes_raise_only_protocol_errors_in_the_header_and_framing()
    {
        Seeds.ForEach("header", (rng, _) =>
        {
            var bytes = rng.Bytes(0, 80);
            if (rng.Next(2) == 0 && bytes.Length >= 12)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), WireFormat.Magic);
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), WireFormat.Version);
            }
            AssertOnlyProtocolErrors(() => PacketHeader.Read(bytes), "header");
            AssertOnlyProtocolErrors(() => Framing.TryGetPacketLength(bytes, out _), "framing");
        });
    }

    private static byte[] Mutate(Random rng, byte[] bytes)
    {
        var bad = bytes.ToArray();
        switch (rng.Next(4))
        {
            case 0:
                for (int i = rng.Next(1, 5); i > 0 && bad.Length > 0; i--)
                {
                    bad[rng.Next(bad.Length)] ^= (byte)rng.Next(1, 256);
                }
                return bad;
            case 1:
                if (bad.Length >= 4)
                {
                    int at = rng.Next(bad.Length - 3);
                    BinaryPrimitives.WriteUInt32LittleEndian(bad.AsSpan(at), rng.U32());
                }
                return bad;
            case 2:
                return bad[..rng.Next(bad.Length + 1)];
            default:
                return [.. bad, .. rng.Bytes(1, 40)];
        }
    }

    private static void AssertOnlyProtocolErrors(Action action, string what)
    {
        var e = Record.Exception(action);
        Assert.True(e is null or ProtocolException, $"{what}: unexpected {e}");
    }
}
