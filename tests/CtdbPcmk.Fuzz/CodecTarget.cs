// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Fuzz;

/// <summary>A pure decoder run on the whole input.</summary>
public delegate void Decoder(ReadOnlySpan<byte> input);

/// <summary>A target made of one decoder of CtdbPcmk.Protocol (or a group of them).</summary>
public sealed class CodecTarget(string name, Decoder decode) : IFuzzTarget
{
    public string Name => name;

    public void Run(ReadOnlySpan<byte> input) => decode(input);
}
