// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using System.Net.Sockets;
using CtdbPcmk.Client;
using CtdbPcmk.Server;
using ServerDaemon = CtdbPcmk.Server.Daemon;

namespace CtdbPcmk.Fuzz;

/// <summary>
/// A daemon running in this process on its own loop thread, in a fresh temp directory: node 0
/// of a two-node cluster (node 1 never comes, so packets "from node 1" can be handed to it),
/// leader, logging nowhere. A well-behaved client stays connected to check it answers.
/// </summary>
public sealed class InProcessDaemon : IDisposable
{
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stop = new();
    private Exception? _failure;

    public InProcessDaemon()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("ctdbpcmk-fuzz-").FullName;
        SocketPath = Path.Combine(Directory, "ctdbd.socket");
        var options = new DaemonOptions
        {
            SocketPath = SocketPath,
            Nodes = [IPAddress.Loopback, IPAddress.Parse("127.0.0.2")],
            Pnn = 0,
            NodePort = FreePort(),
            VolatileDirectory = Path.Combine(Directory, "volatile"),
            PersistentDirectory = Path.Combine(Directory, "persistent"),
            StateDirectory = Path.Combine(Directory, "state"),
            StartAsLeader = true,
        };
        Daemon = new ServerDaemon(options, Serilog.Core.Logger.None);
        _thread = new Thread(() =>
        {
            try
            {
                Daemon.Run(_stop.Token);
            }
            catch (Exception e)
            {
                _failure = e;
            }
        })
        { IsBackground = true, Name = "daemon" };
        _thread.Start();
        // The socket file appears at bind, a moment before the daemon listens on it.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                Bystander = CtdbClient.Connect(SocketPath);
                break;
            }
            catch (CtdbConnectionException) when (_failure is null && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(10);
            }
        }
        Bystander.Timeout = TimeSpan.FromSeconds(10);
    }

    public string Directory { get; }
    public string SocketPath { get; }
    internal ServerDaemon Daemon { get; }

    /// <summary>A client that only pings, to see the daemon still serves others.</summary>
    public CtdbClient Bystander { get; }

    /// <summary>Throws when the loop has ended (an exception escaped it, or it was stopped).</summary>
    public void CheckAlive()
    {
        if (_failure is not null)
        {
            throw new InvalidOperationException("the daemon's loop failed", _failure);
        }
        if (!_thread.IsAlive)
        {
            throw new InvalidOperationException("the daemon's loop ended");
        }
    }

    /// <summary>Runs <paramref name="action"/> on the loop thread and waits; its exception is rethrown here.</summary>
    public void OnLoop(Action action)
    {
        using var done = new ManualResetEventSlim();
        Exception? failed = null;
        Daemon.Loop.Post(() =>
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                failed = e;
            }
            finally
            {
                done.Set();
            }
        });
        if (!done.Wait(TimeSpan.FromSeconds(10)))
        {
            CheckAlive();
            throw new TimeoutException("the daemon's loop did not run posted work within 10 s");
        }
        if (failed is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failed);
        }
    }

    public void Dispose()
    {
        Bystander.Dispose();
        _stop.Cancel();
        _thread.Join(TimeSpan.FromSeconds(10));
        Daemon.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static int FreePort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }
}
