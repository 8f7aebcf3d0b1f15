// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Protocol.Tests;

/// <summary>Every codec case, by name, for theories.</summary>
internal static class AllCodecs
{
    private static readonly Dictionary<string, CodecCase> s_cases =
        DataCodecCases.All().Concat(PacketCodecCases.All()).ToDictionary(c => c.Name);

    public static CodecCase Get(string name) => s_cases[name];

    public static TheoryData<string> Names => new(s_cases.Keys.Order(StringComparer.Ordinal));
}
