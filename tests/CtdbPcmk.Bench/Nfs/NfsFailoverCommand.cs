// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CtdbPcmk.Bench.Nfs;

/// <summary>
/// One NFSv4.0 failover round for tests/bench/nfs-failover.sh:
///   ctdbpcmk-bench nfs-failover --netns NS --vip IP --file NAME --id ID [--window S] [--timeout S] -- COMMAND [ARGS...]
/// Client A (id string ID, sockets in namespace NS) creates /share/NAME through VIP, writes it and
/// takes a write lock on bytes 0..99; then COMMAND runs (the power loss of the node serving VIP)
/// and the clock starts. A recovers as an NFSv4.0 client does: reconnect, SETCLIENTID with the
/// same id string and verifier, reclaim the open (CLAIM_PREVIOUS) and the lock (reclaim=true), or,
/// when the server refuses the reclaim, open anew (CLAIM_NULL); then READ. Meanwhile client B
/// (another id string) tries to take a conflicting write lock on the same bytes, until WINDOW
/// seconds (default 5) after VIP first answered it. Prints one line of KEY=VALUE (times in ms
/// from the start of COMMAND); exit 1 when A did not read its data back within TIMEOUT seconds.
/// </summary>
internal static class NfsFailoverCommand
{
    public static int Run(string[] args)
    {
        string? netns = null, vip = null, file = null, id = null;
        double window = 5, timeout = 120;
        int i = 0;
        for (; i < args.Length && args[i] != "--"; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--netns": netns = Next(); break;
                case "--vip": vip = Next(); break;
                case "--file": file = Next(); break;
                case "--id": id = Next(); break;
                case "--window": window = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--timeout": timeout = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown argument {args[i]}");
            }
        }
        if (netns is null || vip is null || file is null || id is null || i + 1 >= args.Length)
        {
            throw new ArgumentException("nfs-failover needs --netns, --vip, --file, --id and -- COMMAND [ARGS...]");
        }
        var server = new NfsServerAddress(netns, vip);
        var path = "/share/" + file;
        var data = Encoding.ASCII.GetBytes($"written by {id} and locked before the power loss\n");
        var verifier = BitConverter.GetBytes(Environment.TickCount64);

        using var before = NfsRecoveringClient.Prepare(server, id, verifier, path, data);

        var clock = Stopwatch.StartNew();
        RunEvent(args[(i + 1)..]);
        var deadline = TimeSpan.FromSeconds(timeout);
        var rival = new ConflictingLocker(server, $"{id} rival", path, TimeSpan.FromSeconds(window), deadline, clock);
        var rivalThread = new Thread(rival.Run) { IsBackground = true };
        rivalThread.Start();
        var outcome = NfsRecoveringClient.Recover(server, id, verifier, path, data, deadline, clock);
        rivalThread.Join();

        Console.WriteLine(string.Join(' ',
            $"answered_ms={Ms(outcome.AnsweredAt)}",
            $"read_ms={Ms(outcome.ReadAt)}",
            $"open={outcome.Open}",
            $"lock={outcome.Lock}",
            $"data={outcome.Data}",
            $"rival_answered_ms={Ms(rival.AnsweredAt)}",
            $"conflict={rival.Result}"));
        return outcome.ReadAt is null || outcome.Data != "ok" ? 1 : 0;
    }

    private static string Ms(TimeSpan? t) => t is { } v ? ((long)v.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) : "none";

    private static void RunEvent(string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true };
        foreach (var a in command[1..])
        {
            start.ArgumentList.Add(a);
        }
        using var p = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {command[0]}");
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', command)} exited {p.ExitCode}");
        }
    }
}
