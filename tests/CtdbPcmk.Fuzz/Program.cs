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
            if (Targets.NeedsDaemon(target))
            {
                _ = DaemonTargets.Daemon;
            }
            SharpFuzz.Fuzzer.Run(stream =>
            {
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                Rejection.Run(target, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
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
                try
                {
                    Rejection.Run(target, File.ReadAllBytes(file));
                }
                catch (Exception e)
                {
                    failed++;
                    Console.Error.WriteLine($"{file}: {e}");
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
