// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using CtdbPcmk.Client;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Server.Tests;

/// <summary>
/// Several daemons in this process, each on its own loop thread and in its own directory,
/// linked in memory and sharing one vnn map (all nodes) and generation.
/// </summary>
public sealed class InProcessCluster : IDisposable
{
    private readonly Daemon[] _daemons;
    private readonly Thread[] _threads;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<Exception> _failures = new();
    private readonly ConcurrentDictionary<(uint, uint), bool> _cut = new();
    private readonly ConcurrentDictionary<Operation, int> _packets = new();

    public InProcessCluster(int count)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("ctdbpcmk-cluster-").FullName;
        var nodes = Enumerable.Range(1, count).Select(i => IPAddress.Parse($"127.0.0.{i}")).ToArray();
        File.WriteAllLines(Path.Combine(Directory, "nodes"), nodes.Select(n => n.ToString()));
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
                // The links between these daemons are injected below: no TCP node port.
                NodePort = 0,
                VolatileDirectory = Path.Combine(dir, "volatile"),
                PersistentDirectory = Path.Combine(dir, "persistent"),
                StateDirectory = Path.Combine(dir, "state"),
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
        for (int pnn = 0; pnn < count; pnn++)
        {
            uint self = (uint)pnn;
            OnLoop(pnn, d =>
            {
                d.InjectNodeLinks(new InProcessLinks(this, self));
                for (uint other = 0; other < count; other++)
                {
                    if (other != self)
                    {
                        d.OnNodeConnected(other);
                    }
                }
            });
        }
        SetGeneration(0x2A2A2A2A);
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
            OnLoop(pnn, d => d.InjectVnnMap(map));
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

    public void Cut(uint a, uint b)
    {
        _cut[(a, b)] = true;
        _cut[(b, a)] = true;
    }

    public void Heal(uint a, uint b)
    {
        _cut.TryRemove((a, b), out _);
        _cut.TryRemove((b, a), out _);
    }

    internal bool IsCut(uint from, uint to) => _cut.ContainsKey((from, to));

    internal void CountPacket(ReadOnlySpan<byte> packet)
    {
        var op = (Operation)BinaryPrimitives.ReadUInt32LittleEndian(packet[16..]);
        _packets.AddOrUpdate(op, 1, static (_, n) => n + 1);
    }

    /// <summary>Node-to-node packets of one operation sent so far.</summary>
    public int PacketCount(Operation op) => _packets.GetValueOrDefault(op);

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
