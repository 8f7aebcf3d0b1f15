// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Protocol.Tests;

/// <summary>Hex helpers for literal byte tests; whitespace in the input is ignored.</summary>
internal static class Hex
{
    public static byte[] Parse(string hex) =>
        Convert.FromHexString(string.Concat(hex.Where(c => !char.IsWhiteSpace(c))));

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
