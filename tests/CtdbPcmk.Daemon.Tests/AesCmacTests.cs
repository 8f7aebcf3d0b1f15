// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Transport.NodeAuth;

namespace CtdbPcmk.Daemon.Tests;

/// <summary>The node links' packet MAC: RFC 4493's examples, on AES-NI and on the portable path, and both paths alike on every split.</summary>
public sealed class AesCmacTests
{
    private static readonly byte[] s_key = Convert.FromHexString("2b7e151628aed2a6abf7158809cf4f3c");

    private static readonly byte[] s_message = Convert.FromHexString(
        "6bc1bee22e409f96e93d7e117393172a" + "ae2d8a571e03ac9c9eb76fac45af8e51" +
        "30c81c46a35ce411e5fbc1191a0a52ef" + "f69f2445df4f9b17ad2b417be66c3710");

    [Theory]
    [InlineData(0, "bb1d6929e95937287fa37d129b756746")]
    [InlineData(16, "070a16b46b4d4144f79bdd9dd04a287c")]
    [InlineData(40, "dfa66747de9ae63030ca32611497c827")]
    [InlineData(64, "51f0bebf7e3b9d92fc49741779363cfe")]
    public void The_tags_are_those_of_rfc_4493(int length, string expected)
    {
        foreach (bool hardware in new[] { true, false })
        {
            using var mac = new AesCmac(s_key, hardware);
            // Whole message in the second span, in the first, and split at every point.
            for (int split = 0; split <= length; split++)
            {
                var tag = new byte[AesCmac.TagSize];
                mac.Compute(s_message.AsSpan(0, split), s_message.AsSpan(split, length - split), tag);
                Assert.True(Convert.ToHexStringLower(tag) == expected, $"hardware={hardware} (AES-NI here: {System.Runtime.Intrinsics.X86.Aes.IsSupported}), split {split}");
            }
        }
    }

    [Fact]
    public void Both_paths_agree_and_any_changed_bit_changes_the_tag()
    {
        var random = new Random(4493);
        var key = new byte[AesCmac.KeySize];
        random.NextBytes(key);
        using var fast = new AesCmac(key, hardware: true);
        using var portable = new AesCmac(key, hardware: false);
        var a = new byte[AesCmac.TagSize];
        var b = new byte[AesCmac.TagSize];
        for (int i = 0; i < 300; i++)
        {
            var data = new byte[random.Next(0, 200)];
            random.NextBytes(data);
            int split = random.Next(0, data.Length + 1);
            fast.Compute(data.AsSpan(0, split), data.AsSpan(split), a);
            portable.Compute(data, default, b);
            Assert.Equal(Convert.ToHexString(b), Convert.ToHexString(a));
            if (data.Length > 0)
            {
                int bit = random.Next(data.Length * 8);
                data[bit / 8] ^= (byte)(1 << (bit % 8));
                fast.Compute(data, default, b);
                Assert.NotEqual(Convert.ToHexString(a), Convert.ToHexString(b));
            }
        }
    }

    [Fact]
    public void A_key_of_another_size_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new AesCmac(new byte[32]));
    }
}
