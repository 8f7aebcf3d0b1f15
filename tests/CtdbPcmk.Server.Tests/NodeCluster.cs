// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using System.Net.Sockets;
using CtdbPcmk.Client;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Server.Tests;

/// <summary>
/// Daemons of one nodes file (127.0.0.1, .2, … on one random free port) running in this
/// process, each on its own loop thread and in its own temp directory. Nodes not started are
/// left for a test to play with plain sockets.
/// </summary>
public sealed class NodeCluster : IDisposable
{
    private readonly (Daemon Daemon, Thread Thread, CancellationTokenSource Stop)?[] _nodes;
    private readonly List<Exception> _failures = new();

    public NodeCluster(int count, IEnumerable<int>? start = null, IReadOnlyDictionary<string, uint>? tunables = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("ctdbpcmk-nodes-").FullName;
        Addresses = Enumerable.Range(0, count).Select(Address).ToArray();
        Port = FreePort(count);
        _nodes = new (Daemon, Thread, CancellationTokenSource)?[count];
        foreach (int pnn in start ?? Enumerable.Range(0, count))
        {
            StartNode(pnn, tunables);
        }
    }

    public string Directory { get; }
    public int Port { get; }
    public IReadOnlyList<IPAddress> Addresses { get; }

    public static IPAddress Address(int pnn) => new(new byte[] { 127, 0, 0, (byte)(pnn + 1) });

    public string SocketPath(int pnn) => Path.Combine(Directory, $"node{pnn}", "ctdbd.socket");

    private void StartNode(int pnn, IReadOnlyDictionary<string, uint>? tunables)
    {
        var dir = Path.Combine(Directory, $"node{pnn}");
        var options = new DaemonOptions
        {
            SocketPath = SocketPath(pnn),
            Nodes = Addresses.ToArray(),
            Pnn = (uint)pnn,
            NodePort = Port,
            VolatileDirectory = Path.Combine(dir, "volatile"),
            PersistentDirectory = Path.Combine(dir, "persistent"),
            StateDirectory = Path.Combine(dir, "state"),
            Tunables = tunables ?? new Dictionary<string, uint>(),
        };
        var daemon = new Daemon(options, Serilog.Core.Logger.None);
        var stop = new CancellationTokenSource();
        var thread = new Thread(() =>
        {
            try
            {
                daemon.Run(stop.Token);
            }
            catch (Exception e)
            {
                lock (_failures)
                {
                    _failures.Add(e);
                }
            }
        })
        { IsBackground = true, Name = $"node{pnn}" };
        _nodes[pnn] = (daemon, thread, stop);
        thread.Start();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!File.Exists(options.SocketPath))
        {
            lock (_failures)
            {
                if (_failures.Count > 0 || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"node {pnn} did not start", _failures.FirstOrDefault());
                }
            }
            Thread.Sleep(10);
        }
    }

    /// <summary>A port that every node address can bind right now.</summary>
    private static int FreePort(int count)
    {
        for (int attempt = 0; ; attempt++)
        {
            int port = Random.Shared.Next(20000, 60000);
            var sockets = new List<Socket>();
            try
            {
                for (int i = 0; i < count; i++)
                {
                    var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    sockets.Add(s);
                    s.Bind(new IPEndPoint(Address(i), port));
                }
                return port;
            }
            catch (SocketException) when (attempt < 50)
            {
                // taken on one of the addresses: try another
            }
            finally
            {
                foreach (var s in sockets)
                {
                    s.Dispose();
                }
            }
        }
    }

    public CtdbClient Connect(int pnn)
    {
        var c = CtdbClient.Connect(SocketPath(pnn));
        c.Timeout = TimeSpan.FromSeconds(10);
        return c;
    }

    /// <summary>Runs <paramref name="action"/> on a node's loop thread and waits for it.</summary>
    public void OnLoop(int pnn, Action<Daemon> action)
    {
        var daemon = _nodes[pnn]?.Daemon ?? throw new InvalidOperationException($"node {pnn} is not running");
        Assert.True(daemon.OnLoopAsync(() => { action(daemon); return 0; }).Wait(TimeSpan.FromSeconds(10)), $"node {pnn} loop did not answer");
    }

    /// <summary>Whether node <paramref name="observer"/> has <paramref name="pnn"/> as connected.</summary>
    public bool SeesConnected(int observer, int pnn)
    {
        using var c = Connect(observer);
        return (c.GetNodeMap()[pnn].Flags & NodeFlags.Disconnected) == 0;
    }

    /// <summary>Waits until <paramref name="observer"/> sees each of <paramref name="peers"/> as connected (or not).</summary>
    public void WaitFor(int observer, bool connected, TimeSpan within, params int[] peers)
    {
        var deadline = DateTime.UtcNow + within;
        while (!peers.All(p => SeesConnected(observer, p) == connected))
        {
            Assert.True(DateTime.UtcNow < deadline,
                $"node {observer} did not see nodes {string.Join(",", peers)} {(connected ? "connected" : "disconnected")} within {within}");
            Thread.Sleep(20);
        }
    }

    public void Dispose()
    {
        foreach (var node in _nodes)
        {
            node?.Stop.Cancel();
        }
        foreach (var node in _nodes)
        {
            if (node is { } n)
            {
                n.Thread.Join(TimeSpan.FromSeconds(10));
                n.Daemon.Dispose();
            }
        }
        System.IO.Directory.Delete(Directory, recursive: true);
        lock (_failures)
        {
            if (_failures.Count > 0)
            {
                throw new InvalidOperationException("a daemon loop failed", _failures[0]);
            }
        }
    }
}
