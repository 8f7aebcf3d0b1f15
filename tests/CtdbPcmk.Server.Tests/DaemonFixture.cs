// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using CtdbPcmk.Client;

namespace CtdbPcmk.Server.Tests;

/// <summary>A single-node daemon running in this process on its own thread, in a temp directory.</summary>
public sealed class DaemonFixture : IDisposable
{
    private readonly Daemon _daemon;
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stop = new();
    private Exception? _failure;

    public DaemonFixture()
        : this(null, null)
    {
    }

    /// <summary>
    /// A daemon with <paramref name="limits"/> (default ones when null), logging to <paramref name="log"/>;
    /// without <paramref name="startAsLeader"/> it stays in recovery until a client gives it the leader role.
    /// </summary>
    internal DaemonFixture(Clients.ClientLimits? limits, Serilog.ILogger? log, bool startAsLeader = true)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("ctdbpcmk-server-").FullName;
        SocketPath = Path.Combine(Directory, "ctdbd.socket");
        Options = new DaemonOptions
        {
            SocketPath = SocketPath,
            Nodes = new[] { IPAddress.Loopback },
            Pnn = 0,
            VolatileDirectory = Path.Combine(Directory, "volatile"),
            PersistentDirectory = Path.Combine(Directory, "persistent"),
            StateDirectory = Path.Combine(Directory, "state"),
            StartAsLeader = startAsLeader,
            Limits = limits ?? new Clients.ClientLimits(),
        };
        _daemon = new Daemon(Options, log ?? Serilog.Core.Logger.None);
        _thread = new Thread(() =>
        {
            try
            {
                _daemon.Run(_stop.Token);
            }
            catch (Exception e)
            {
                _failure = e;
            }
        })
        { IsBackground = true, Name = "daemon" };
        _thread.Start();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!File.Exists(SocketPath))
        {
            if (_failure is not null || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("daemon did not start", _failure);
            }
            Thread.Sleep(10);
        }
    }

    public string Directory { get; }
    public string SocketPath { get; }
    public DaemonOptions Options { get; }

    public CtdbClient Connect()
    {
        var c = CtdbClient.Connect(SocketPath);
        c.Timeout = TimeSpan.FromSeconds(10);
        return c;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join(TimeSpan.FromSeconds(10));
        _daemon.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
        if (_failure is not null)
        {
            throw new InvalidOperationException("daemon loop failed", _failure);
        }
    }
}
