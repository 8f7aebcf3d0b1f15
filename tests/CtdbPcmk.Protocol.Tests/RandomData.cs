// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;

namespace CtdbPcmk.Protocol.Tests;

/// <summary>Random wire values for the seeded round-trip and fuzz tests.</summary>
internal static class RandomData
{
    public static uint U32(this Random rng) => (uint)rng.NextInt64(0, 1L << 32);

    public static ulong U64(this Random rng) => ((ulong)rng.U32() << 32) | rng.U32();

    public static byte[] Bytes(this Random rng, int min, int max)
    {
        var b = new byte[rng.Next(min, max + 1)];
        rng.NextBytes(b);
        return b;
    }

    /// <summary>ASCII letters and digits (names, interfaces), length in [min, max].</summary>
    public static string Name(this Random rng, int min, int max)
    {
        const string chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-";
        return new string(Enumerable.Range(0, rng.Next(min, max + 1)).Select(_ => chars[rng.Next(chars.Length)]).ToArray());
    }

    public static IPEndPoint EndPoint(this Random rng)
    {
        int port = rng.Next(0, 65536);
        if (rng.Next(2) == 0)
        {
            return new IPEndPoint(new IPAddress(rng.Bytes(4, 4)), port);
        }
        return new IPEndPoint(new IPAddress(rng.Bytes(16, 16), rng.Next(3) == 0 ? rng.U32() : 0), port);
    }

    public static LtdbHeader Ltdb(this Random rng) => new(rng.U64(), rng.U32(), rng.U32());

    public static Timeval Timeval(this Random rng) => new(rng.NextInt64(), rng.NextInt64());

    public static LatencyCounter Latency(this Random rng) =>
        new(rng.Next(), rng.NextDouble(), rng.NextDouble() * 100, rng.NextDouble() * 1e6);

    public static PacketHeader Header(this Random rng) =>
        new(0, rng.U32(), Operation.ReqCall, rng.U32(), rng.U32(), rng.U32());

    public static T[] Many<T>(this Random rng, int max, Func<Random, T> make) =>
        Enumerable.Range(0, rng.Next(0, max + 1)).Select(_ => make(rng)).ToArray();
}
