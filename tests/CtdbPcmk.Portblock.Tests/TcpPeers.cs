// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Globalization;

namespace CtdbPcmk.Portblock.Tests;

/// <summary>
/// Small real TCP peers run inside namespaces (python3, started by PID through <see cref="Netns"/>).
/// The client reports the CLOCK_MONOTONIC time at which its connection was reset, the same clock
/// as <see cref="Stopwatch.GetTimestamp"/> on Linux, so the test can measure reset latency.
/// </summary>
internal static class TcpPeers
{
    /// <summary>Accepts connections on (address, port) and keeps them open; prints "listening".</summary>
    private const string Server = """
        import socket, sys, threading, time
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

    public static Process StartServer(Netns ns, string address, int port)
    {
        var process = ns.Start("python3", "-u", "-c", Server, address, port.ToString(CultureInfo.InvariantCulture));
        var line = ReadLine(process, 10000);
        if (line != "listening")
        {
            // Only now: reading stderr of a live server would block.
            process.Kill();
            Assert.Fail($"server did not start: {line} {process.StandardError.ReadToEnd()}");
        }

        return process;
    }

    /// <summary>Starts a client; returns it with its local port once connected.</summary>
    public static (Process Process, int LocalPort) Connect(Netns ns, string address, int port)
    {
        var process = ns.Start("python3", "-u", "-c", Client, address, port.ToString(CultureInfo.InvariantCulture));
        var line = ReadLine(process, 10000);
        Assert.True(line?.StartsWith("connected ", StringComparison.Ordinal) == true, $"client: {line}");
        return (process, int.Parse(line!["connected ".Length..], CultureInfo.InvariantCulture));
    }

    /// <summary>Waits for the client's outcome line: ("reset", monotonic ns), ("eof", ns) ...</summary>
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
