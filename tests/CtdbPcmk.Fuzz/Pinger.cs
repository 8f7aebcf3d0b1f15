// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using CtdbPcmk.Client;

namespace CtdbPcmk.Fuzz;

/// <summary>
/// A well-behaved client: one connection, a PING every <c>interval</c>, each round trip
/// recorded. A failed ping is counted and the connection made again.
/// </summary>
public sealed class Pinger(string socketPath, TimeSpan interval) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<double> _latenciesMs = [];
    private Thread? _thread;
    private bool _disposed;

    public int Failures { get; private set; }
    public string? LastFailure { get; private set; }

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "pinger" };
        _thread.Start();
    }

    /// <summary>Round trips so far, in ms (a copy).</summary>
    public double[] Latencies()
    {
        lock (_latenciesMs)
        {
            return [.. _latenciesMs];
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _stop.Cancel();
        _thread?.Join();
        _stop.Dispose();
    }

    private void Run()
    {
        CtdbClient? client = null;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                client ??= Connect();
                long start = Stopwatch.GetTimestamp();
                client.Ping();
                double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                lock (_latenciesMs)
                {
                    _latenciesMs.Add(ms);
                }
            }
            catch (Exception e) when (e is CtdbConnectionException or TimeoutException or IOException or System.Net.Sockets.SocketException or CtdbControlException)
            {
                Failures++;
                LastFailure = e.Message;
                client?.Dispose();
                client = null;
            }
            _stop.Token.WaitHandle.WaitOne(interval);
        }
        client?.Dispose();
    }

    private CtdbClient Connect()
    {
        var c = CtdbClient.Connect(socketPath);
        c.Timeout = TimeSpan.FromSeconds(5);
        return c;
    }
}
