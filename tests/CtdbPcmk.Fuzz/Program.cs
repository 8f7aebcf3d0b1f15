// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Fuzz;

// ctdbpcmk fuzz harness:
//   list                         the targets
//   afl TARGET                   run TARGET under afl-fuzz (SharpFuzz's fork server)
//   run TARGET PATH...           every file (or every file of a directory) through TARGET once
//   live OPTIONS                 the live fuzzer of a running daemon (see LiveOptions)
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: CtdbPcmk.Fuzz list | afl TARGET | run TARGET PATH... | live OPTIONS");
    return 2;
}
switch (args[0])
{
    case "list":
        foreach (var t in Targets.All)
        {
            Console.WriteLine(t.Name);
        }
        return 0;
    case "afl" when args.Length == 2:
        {
            var target = Targets.Find(args[1]);
            if (target is null)
            {
                Console.Error.WriteLine($"unknown target {args[1]}");
                return 2;
            }
            // A daemon target starts its daemon on the first input: instrumented code must not
            // run before Fuzzer.Run has set up afl's coverage map.
            SharpFuzz.Fuzzer.Run(stream =>
            {
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                var input = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
                // afl-fuzz refuses to start when its first seed shows no coverage; a few inputs
                // reach only code afl cannot see (inlined, or in the runtime): the framing
                // check, instrumented, runs on every input first.
                try
                {
                    CtdbPcmk.Protocol.Framing.TryGetPacketLength(input, out _);
                }
                catch (CtdbPcmk.Protocol.ProtocolException)
                {
                }
                Rejection.Run(target, input);
            });
            return 0;
        }
    case "run" when args.Length >= 3:
        {
            var target = Targets.Find(args[1]);
            if (target is null)
            {
                Console.Error.WriteLine($"unknown target {args[1]}");
                return 2;
            }
            int failed = 0;
            foreach (var file in args.Skip(2).SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p) : [p]))
            {
                long start = System.Diagnostics.Stopwatch.GetTimestamp();
                try
                {
                    Rejection.Run(target, File.ReadAllBytes(file));
                }
                catch (Exception e)
                {
                    failed++;
                    Console.Error.WriteLine($"{file}: {e}");
                }
                var took = System.Diagnostics.Stopwatch.GetElapsedTime(start);
                if (took > TimeSpan.FromMilliseconds(100))
                {
                    Console.Error.WriteLine($"{file}: slow, {took.TotalMilliseconds:F0} ms");
                }
            }
            return failed == 0 ? 0 : 1;
        }
    case "live":
        return LiveFuzzer.Execute(args[1..]);
    default:
        Console.Error.WriteLine($"unknown command {args[0]}");
        return 2;
}
