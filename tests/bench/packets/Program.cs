// SPDX-License-Identifier: GPL-3.0-or-later
// packet-startup              build one of each packet and exit (start-up timing)
// packet-startup empty        exit at once (the same binary's start-up without the packets)
// packet-startup send IFNAME  send one gratuitous ARP for 192.0.2.1 on IFNAME (Send.cs)
// packet-startup hex          print each packet in hex, one "name hex" line each
// packet-startup measure N    first-use cost of each packet (µs, in this fresh process), then
//                             ns and bytes allocated per packet over N builds of each
using System.Diagnostics;
using CtdbPcmk.Bench.Packets;

var mode = args.Length > 0 ? args[0] : "once";
Span<byte> buffer = stackalloc byte[128];
switch (mode)
{
    case "once":
        {
            var sum = 0;
            foreach (var kind in Frames.Kinds)
            {
                sum += Frames.Write(kind, buffer, 1);
            }
            return sum == 0 ? 1 : 0;
        }
    case "empty":
        return 0;
    case "send" when args.Length == 2:
        return Send.Garp(args[1]);
    case "hex":
        foreach (var kind in Frames.Kinds)
        {
            var n = Frames.Write(kind, buffer, 1);
            Console.WriteLine($"{kind} {Convert.ToHexStringLower(buffer[..n])}");
        }
        return 0;
    case "measure" when args.Length == 2 && int.TryParse(args[1], out var iterations) && iterations > 0:
        {
            // The first build of each kind in this fresh process, printed after all six are built.
            var first = new double[Frames.Kinds.Length];
            _ = Stopwatch.GetTimestamp();
            for (var k = 0; k < first.Length; k++)
            {
                var start = Stopwatch.GetTimestamp();
                Frames.Write(Frames.Kinds[k], buffer, 1);
                first[k] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
            for (var k = 0; k < first.Length; k++)
            {
                Console.WriteLine($"first {Frames.Kinds[k]} {first[k]:F2}");
            }
        }
        foreach (var kind in Frames.Kinds)
        {
            for (var i = 0; i < 1000; i++)
            {
                Frames.Write(kind, buffer, (ushort)(i | 1));
            }
            var bytes = GC.GetAllocatedBytesForCurrentThread();
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < iterations; i++)
            {
                Frames.Write(kind, buffer, (ushort)(i | 1));
            }
            var elapsed = Stopwatch.GetElapsedTime(start);
            bytes = GC.GetAllocatedBytesForCurrentThread() - bytes;
            Console.WriteLine($"per {kind} {elapsed.TotalNanoseconds / iterations:F1} {(double)bytes / iterations:F0}");
        }
        return 0;
    default:
        Console.Error.WriteLine("usage: packet-startup [once | empty | send IFNAME | hex | measure ITERATIONS]");
        return 2;
}
