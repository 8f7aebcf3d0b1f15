// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Globalization;

namespace CtdbPcmk.TestSupport;

/// <summary>
/// Small real TCP peers (python3) for reset tests, started by the caller wherever they must run
/// (a namespace, a box node) from the argv given here. The client reports the CLOCK_MONOTONIC
/// time at which its connection ended, the clock of <see cref="Stopwatch.GetTimestamp"/> on
/// Linux, so a test can measure reset latency.
/// </summary>
public static class TcpPeers
{
    /// <summary>Accepts connections on (address, port) and keeps them open; prints "listening".</summary>
    private const string Server = """
        import socket, sys
        host, port = sys.argv[1], int(sys.argv[2])
        family = socket.AF_INET6 if ':' in host else socket.AF_INET
        s = socket.socket(family, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        s.bind((host, port)); s.listen(16)
        print("listening", flush=True)
        held = []
        while True:
            c, _ = s.accept(); held.append(c)
        """;

    /// <summary>Connects, prints "connected LOCALPORT", then blocks reading; prints "reset NS" or "eof NS".</summary>
    private const string Client = """
        import socket, sys, time
        host, port = sys.argv[1], int(sys.argv[2])
        family = socket.AF_INET6 if ':' in host else socket.AF_INET
        c = socket.socket(family, socket.SOCK_STREAM)
        c.settimeout(5); c.connect((host, port)); c.settimeout(None)
        print("connected", c.getsockname()[1], flush=True)
        try:
            data = c.recv(1)
            print("eof" if not data else "data", time.monotonic_ns(), flush=True)
        except ConnectionResetError:
            print("reset", time.monotonic_ns(), flush=True)
        except OSError as e:
            print("error", e.errno, time.monotonic_ns(), flush=True)
        """;

    public static string[] ServerCommand(string address, int port) =>
        ["python3", "-u", "-c", Server, address, port.ToString(CultureInfo.InvariantCulture)];

    public static string[] ClientCommand(string address, int port) =>
        ["python3", "-u", "-c", Client, address, port.ToString(CultureInfo.InvariantCulture)];

    /// <summary>Waits for a started server to listen; fails the test (after killing it) if it does not.</summary>
    public static Process AwaitServer(Process process, string where)
    {
        var line = ReadLine(process, 10000);
        if (line != "listening")
        {
            // Only now: reading stderr of a live server would block.
            process.Kill();
            Assert.Fail($"server {where} did not start: {line} {process.StandardError.ReadToEnd()}");
        }

        return process;
    }

    /// <summary>Waits for a started client to connect; returns it with its local port.</summary>
    public static (Process Process, int LocalPort) AwaitClient(Process process)
    {
        var line = ReadLine(process, 10000);
        Assert.True(line?.StartsWith("connected ", StringComparison.Ordinal) == true, $"client: {line}");
        return (process, int.Parse(line!["connected ".Length..], CultureInfo.InvariantCulture));
    }

    /// <summary>The client's outcome: ("reset", monotonic ns), ("eof", ns), or ("none", 0) on timeout.</summary>
    public static (string Outcome, long MonotonicNs) Outcome(Process client, int timeoutMs)
    {
        var line = ReadLine(client, timeoutMs);
        if (line is null)
        {
            return ("none", 0);
        }

        var fields = line.Split(' ');
        return (fields[0], long.Parse(fields[^1], CultureInfo.InvariantCulture));
    }

    public static string? ReadLine(Process process, int timeoutMs)
    {
        var read = process.StandardOutput.ReadLineAsync();
        return read.Wait(timeoutMs) ? read.Result : null;
    }

    /// <summary>Now, in CLOCK_MONOTONIC nanoseconds.</summary>
    public static long MonotonicNs() => (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));
}
