// SPDX-License-Identifier: GPL-3.0-or-later
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using CtdbPcmk.Client;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Server.Tests;

/// <summary>
/// Several daemons in this process, each on its own loop thread and in its own directory,
/// linked by their TCP transport on 127.0.0.x and a free port, sharing one vnn map (all
/// nodes) and generation once every node sees every other connected.
/// </summary>
public sealed class InProcessCluster : IDisposable
{
    private readonly Daemon[] _daemons;
    private readonly Thread[] _threads;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<Exception> _failures = new();

    public InProcessCluster(int count, IReadOnlyDictionary<string, uint>? tunables = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("ctdbpcmk-cluster-").FullName;
        var nodes = Enumerable.Range(1, count).Select(i => IPAddress.Parse($"127.0.0.{i}")).ToArray();
        File.WriteAllLines(Path.Combine(Directory, "nodes"), nodes.Select(n => n.ToString()));
        int port = FreePort(nodes);
        _daemons = new Daemon[count];
        _threads = new Thread[count];
        for (int pnn = 0; pnn < count; pnn++)
        {
            string dir = NodeDirectory(pnn);
            System.IO.Directory.CreateDirectory(dir);
            File.Copy(Path.Combine(Directory, "nodes"), Path.Combine(dir, "nodes"));
            var options = new DaemonOptions
            {
                SocketPath = SocketPath(pnn),
                Nodes = nodes,
                Pnn = (uint)pnn,
                NodePort = port,
                VolatileDirectory = Path.Combine(dir, "volatile"),
                PersistentDirectory = Path.Combine(dir, "persistent"),
                StateDirectory = Path.Combine(dir, "state"),
                Tunables = tunables ?? new Dictionary<string, uint>(),
            };
            var daemon = new Daemon(options, Serilog.Core.Logger.None);
            _daemons[pnn] = daemon;
            _threads[pnn] = new Thread(() =>
            {
                try
                {
                    daemon.Run(_stop.Token);
                }
                catch (Exception e)
                {
                    _failures.Enqueue(e);
                }
            })
            { IsBackground = true, Name = $"daemon{pnn}" };
            _threads[pnn].Start();
        }
        var deadline = DateTime.UtcNow.AddSeconds(10);
        for (int pnn = 0; pnn < count; pnn++)
        {
            while (!File.Exists(SocketPath(pnn)))
            {
                if (!_failures.IsEmpty || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"daemon {pnn} did not start", _failures.FirstOrDefault());
                }
                Thread.Sleep(10);
            }
        }
        WaitConnected();
        SetGeneration(0x2A2A2A2A);
    }

    private void WaitConnected()
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        for (int pnn = 0; pnn < Count; pnn++)
        {
            using var c = Connect(pnn);
            while (c.GetNodeMap().Any(n => (n.Flags & NodeFlags.Disconnected) != 0))
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"node {pnn} did not connect to every other node");
                }
                Thread.Sleep(20);
            }
        }
    }

    /// <summary>A port every node address can bind right now.</summary>
    private static int FreePort(IPAddress[] addresses)
    {
        for (int attempt = 0; ; attempt++)
        {
            int port = Random.Shared.Next(20000, 60000);
            var sockets = new List<System.Net.Sockets.Socket>();
            try
            {
                foreach (var address in addresses)
                {
                    var s = new System.Net.Sockets.Socket(address.AddressFamily, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                    sockets.Add(s);
                    s.Bind(new IPEndPoint(address, port));
                }
                return port;
            }
            catch (System.Net.Sockets.SocketException) when (attempt < 50)
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

    public string Directory { get; }
    public int Count => _daemons.Length;

    internal Daemon Daemon(int pnn) => _daemons[pnn];

    public string NodeDirectory(int pnn) => Path.Combine(Directory, $"node{pnn}");

    public string SocketPath(int pnn) => Path.Combine(NodeDirectory(pnn), "ctdbd.socket");

    public CtdbClient Connect(int pnn)
    {
        var c = CtdbClient.Connect(SocketPath(pnn));
        c.Timeout = TimeSpan.FromSeconds(10);
        return c;
    }

    /// <summary>Runs <paramref name="action"/> on node <paramref name="pnn"/>'s loop and waits for it.</summary>
    internal void OnLoop(int pnn, Action<Daemon> action)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var d = _daemons[pnn];
        d.PostToLoop(() =>
        {
            try
            {
                action(d);
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        if (!done.Task.Wait(TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException($"loop of node {pnn} did not run the action");
        }
    }

    /// <summary>Every node gets the vnn map of all nodes under <paramref name="generation"/>.</summary>
    public void SetGeneration(uint generation)
    {
        var map = new VnnMap(generation, Enumerable.Range(0, Count).Select(i => (uint)i).ToArray());
        for (int pnn = 0; pnn < Count; pnn++)
        {
            OnLoop(pnn, d =>
            {
                // What a leader's recovery leaves behind: one vnn map, recovery mode normal.
                d.InjectVnnMap(map);
                d.InjectRecoveryMode(RecoveryMode.Normal);
            });
        }
    }

    /// <summary>Attaches a volatile database on every node; returns its id.</summary>
    public uint AttachEverywhere(string name)
    {
        uint id = 0;
        for (int pnn = 0; pnn < Count; pnn++)
        {
            using var c = Connect(pnn);
            id = c.AttachDatabase(name);
        }
        return id;
    }

    /// <summary>A key whose lmaster (in the all-nodes vnn map) is <paramref name="lmaster"/>.</summary>
    public byte[] KeyWithLmaster(uint lmaster, string prefix)
    {
        var map = new VnnMap(1, Enumerable.Range(0, Count).Select(i => (uint)i).ToArray());
        for (int i = 0; ; i++)
        {
            byte[] key = System.Text.Encoding.ASCII.GetBytes($"{prefix}-{i}");
            if (map.LmasterOf(key) == lmaster)
            {
                return key;
            }
        }
    }

    /// <summary>Node <paramref name="pnn"/>'s statistics (node packet counters among them).</summary>
    public CtdbStatistics Statistics(int pnn)
    {
        using var c = Connect(pnn);
        return CtdbStatistics.Read(c.Control(ControlOpcode.Statistics, WireFormat.CurrentNode, default).Data);
    }

    /// <summary>Runs the real ctdb tool against node <paramref name="pnn"/>; returns exit code and output.</summary>
    public (int Code, string Out, string Err) Ctdb(int pnn, params string[] args)
    {
        var psi = new ProcessStartInfo("ctdb") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["CTDB_TEST_MODE"] = "yes";
        psi.Environment["CTDB_BASE"] = NodeDirectory(pnn);
        psi.Environment["CTDB_SOCKET"] = SocketPath(pnn);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(30_000))
        {
            p.Kill();
            p.WaitForExit();
            throw new TimeoutException($"ctdb {string.Join(' ', args)} on node {pnn} did not finish");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var t in _threads)
        {
            t.Join(TimeSpan.FromSeconds(10));
        }
        foreach (var d in _daemons)
        {
            d.Dispose();
        }
        System.IO.Directory.Delete(Directory, recursive: true);
        if (!_failures.IsEmpty)
        {
            throw new InvalidOperationException("a daemon loop failed", _failures.First());
        }
    }
}
