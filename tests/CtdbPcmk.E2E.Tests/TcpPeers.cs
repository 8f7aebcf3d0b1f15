// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Globalization;

namespace CtdbPcmk.E2E.Tests;

/// <summary>
/// Real TCP peers (python3): a server inside a node on a VIP and a client at the box's client
/// address. The client prints the CLOCK_MONOTONIC time of its connection's end, the clock of
/// <see cref="Stopwatch.GetTimestamp"/> on Linux.
/// </summary>
internal static class TcpPeers
{
    private const string Server = """
        import socket, sys
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(16)
        print("listening", flush=True)
        held = []
        while True:
            c, _ = s.accept(); held.append(c)
        """;

    private const string Client = """
        import socket, sys, time
        c = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5); c.settimeout(None)
        print("connected", c.getsockname()[1], flush=True)
        try:
            data = c.recv(1)
            print("eof" if not data else "data", time.monotonic_ns(), flush=True)
        except ConnectionResetError:
            print("reset", time.monotonic_ns(), flush=True)
        except OSError as e:
            print("error", e.errno, time.monotonic_ns(), flush=True)
        """;

    public static Process StartServer(Box box, int node, string address, int port)
    {
        var process = box.StartInNode(node, "python3", "-u", "-c", Server, address, port.ToString(CultureInfo.InvariantCulture));
        var line = ReadLine(process, 10000);
        Assert.True(line == "listening", $"server on n{node}: {line}");
        return process;
    }

    public static (Process Process, int LocalPort) Connect(Box box, string address, int port)
    {
        var process = box.StartClient("python3", "-u", "-c", Client, address, port.ToString(CultureInfo.InvariantCulture));
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

    public static long MonotonicNs() => (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));
}
