// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using CtdbPcmk.Client;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Server.Tests;

/// <summary>N daemons in this process, each on its own loop thread and directory, linked by a <see cref="MemoryHub"/>.</summary>
internal sealed class MemoryCluster : IDisposable
{
    private readonly Node?[] _nodes;

    public MemoryCluster(int count)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("ctdbpcmk-cluster-").FullName;
        Hub = new MemoryHub(count);
        _nodes = new Node?[count];
        for (uint pnn = 0; pnn < count; pnn++)
        {
            Start(pnn);
        }
    }

    /// <summary>A cluster of <paramref name="count"/> nodes with node 0 as leader, recovered.</summary>
    public static MemoryCluster Led(int count = 3)
    {
        var cluster = new MemoryCluster(count);
        using (var c = cluster.Connect(0))
        {
            c.SetLeaderRole(true);
        }
        cluster.WaitRecovered(0);
        return cluster;
    }

    public string Directory { get; }
    public MemoryHub Hub { get; }
    public int Count => _nodes.Length;

    public Daemon this[uint pnn] => _nodes[pnn]?.Daemon ?? throw new InvalidOperationException($"node {pnn} is not running");

    public bool IsRunning(uint pnn) => _nodes[pnn] is not null;

    public string NodeDir(uint pnn) => Path.Combine(Directory, $"node.{pnn}");

    public string SocketPath(uint pnn) => Path.Combine(NodeDir(pnn), "ctdbd.socket");

    public void Start(uint pnn)
    {
        string dir = NodeDir(pnn);
        var options = new DaemonOptions
        {
            SocketPath = SocketPath(pnn),
            Nodes = Enumerable.Range(1, _nodes.Length).Select(i => IPAddress.Parse($"127.0.0.{i}")).ToArray(),
            Pnn = pnn,
            VolatileDirectory = Path.Combine(dir, "volatile"),
            PersistentDirectory = Path.Combine(dir, "persistent"),
            StateDirectory = Path.Combine(dir, "state"),
        };
        System.IO.Directory.CreateDirectory(dir);
        File.Delete(options.SocketPath);
        var node = new Node(options, Hub);
        _nodes[pnn] = node;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!File.Exists(options.SocketPath))
        {
            if (node.Failure is not null || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"node {pnn} did not start", node.Failure);
            }
            Thread.Sleep(5);
        }
    }

    /// <summary>Stops a node the way SIGKILL looks to the others: its links drop, then it goes.</summary>
    public void Kill(uint pnn)
    {
        var node = _nodes[pnn] ?? throw new InvalidOperationException($"node {pnn} is not running");
        Hub.Remove(pnn);
        node.Stop();
        _nodes[pnn] = null;
    }

    public CtdbClient Connect(uint pnn)
    {
        var c = CtdbClient.Connect(SocketPath(pnn));
        c.Timeout = TimeSpan.FromSeconds(15);
        return c;
    }

    public LeaderState State(uint pnn)
    {
        using var c = Connect(pnn);
        return c.GetLeaderState();
    }

    public IEnumerable<uint> Running => Enumerable.Range(0, _nodes.Length).Select(i => (uint)i).Where(IsRunning);

    /// <summary>Waits until every running node reports a completed recovery under <paramref name="leader"/>, all in one generation.</summary>
    public LeaderState[] WaitRecovered(uint leader, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        LeaderState[] states;
        while (true)
        {
            states = Running.Select(State).ToArray();
            if (states.All(s => s.Recovered != 0 && s.Leader == leader && s.RecoveryMode == RecoveryMode.Normal)
                && states.Select(s => s.Generation).Distinct().Count() == 1)
            {
                return states;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("cluster did not recover: " + string.Join("; ", states.Select(s => s.ToString())));
            }
            Thread.Sleep(10);
        }
    }

    public T OnLoop<T>(uint pnn, Func<Daemon, T> func)
    {
        var d = this[pnn];
        var task = d.OnLoopAsync(() => func(d));
        if (!task.Wait(TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException($"node {pnn} loop did not answer");
        }
        return task.Result;
    }

    public void Dispose()
    {
        foreach (uint pnn in Running.ToArray())
        {
            Kill(pnn);
        }
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private sealed class Node : IDisposable
    {
        private readonly Thread _thread;
        private readonly CancellationTokenSource _stop = new();

        public Node(DaemonOptions options, MemoryHub hub)
        {
            uint pnn = options.Pnn;
            Daemon? self = null;
            Daemon = new Daemon(options, TestLog.For($"node{pnn}"), TimeProvider.System)
            {
                // Called when the daemon starts, after the assignment below.
                NodeTransportFactory = _ => hub.TransportFor(pnn, self!),
            };
            self = Daemon;
            Daemon.RecordVnnMaps();
            _thread = new Thread(() =>
            {
                try
                {
                    Daemon.Run(_stop.Token);
                }
                catch (Exception e)
                {
                    Failure = e;
                }
            })
            { IsBackground = true, Name = $"daemon-{pnn}" };
            _thread.Start();
        }

        public Daemon Daemon { get; }
        public Exception? Failure { get; private set; }

        public void Stop()
        {
            _stop.Cancel();
            _thread.Join(TimeSpan.FromSeconds(10));
            Dispose();
            if (Failure is not null)
            {
                throw new InvalidOperationException("daemon loop failed", Failure);
            }
        }

        public void Dispose()
        {
            Daemon.Dispose();
            _stop.Dispose();
        }
    }
}
