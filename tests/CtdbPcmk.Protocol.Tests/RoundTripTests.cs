// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Protocol.Tests;

/// <summary>Seeded random values of every codec: write, read, write again gives the same bytes.</summary>
public class RoundTripTests
{
    public static TheoryData<string> Codecs => AllCodecs.Names;

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Random_values_round_trip(string codec)
    {
        var c = AllCodecs.Get(codec);
        Seeds.ForEach(codec, (rng, _) =>
        {
            var bytes = c.Generate(rng);
            var again = c.Reencode(bytes);
            Assert.Equal(Hex.Of(bytes), Hex.Of(again));
        });
    }
}
