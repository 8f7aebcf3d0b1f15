// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using CtdbPcmk.Client;

namespace CtdbPcmk.Bench;

/// <summary>
/// Start-up time of a daemon:
///   ctdbpcmk-bench first-ping --socket PATH [--timeout SECONDS] -- COMMAND [ARGS...]
/// starts COMMAND (e.g. the harness's "start 0") and PINGs PATH once a millisecond, each time
/// on a new connection, until a PING is answered; prints the milliseconds from the start of
/// COMMAND to that answer. COMMAND must then exit 0. Exit 1 when no PING was answered in time.
/// </summary>
internal static class FirstPingCommand
{
    public static int Run(string[] args)
    {
        string? socket = null;
        var timeout = TimeSpan.FromSeconds(30);
        int i = 0;
        for (; i < args.Length && args[i] != "--"; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--socket": socket = Next(); break;
                case "--timeout": timeout = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)); break;
                default: throw new ArgumentException($"unknown argument {args[i]}");
            }
        }
        if (socket is null || i + 1 >= args.Length)
        {
            throw new ArgumentException("first-ping needs --socket PATH -- COMMAND [ARGS...]");
        }
        var start = new ProcessStartInfo(args[i + 1]);
        foreach (var a in args[(i + 2)..])
        {
            start.ArgumentList.Add(a);
        }
        // The clock starts before the command does: its own start-up is part of what is measured.
        var clock = Stopwatch.StartNew();
        using var command = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {args[i + 1]}");
        double? answeredMs = null;
        while (clock.Elapsed < timeout)
        {
            if (PingOnce(socket))
            {
                answeredMs = clock.Elapsed.TotalMilliseconds;
                break;
            }
            Thread.Sleep(1);
        }
        command.WaitForExit();
        if (answeredMs is null)
        {
            Console.Error.WriteLine($"first-ping: no PING answered on {socket} within {timeout.TotalSeconds} s");
            return 1;
        }
        if (command.ExitCode != 0)
        {
            Console.Error.WriteLine($"first-ping: {args[i + 1]} exited {command.ExitCode}");
            return 1;
        }
        Console.WriteLine(answeredMs.Value.ToString("F1", CultureInfo.InvariantCulture));
        return 0;
    }

    /// <summary>True when a new connection to the socket gets a PING answered.</summary>
    private static bool PingOnce(string socket)
    {
        try
        {
            using var client = CtdbClient.Connect(socket);
            return client.PingRaw() >= 1;
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException or CtdbConnectionException or CtdbControlException)
        {
            return false;
        }
    }
}
