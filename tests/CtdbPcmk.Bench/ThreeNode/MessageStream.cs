// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Diagnostics;
using CtdbPcmk.Client;

namespace CtdbPcmk.Bench.ThreeNode;

/// <summary>
/// The message ring with <see cref="InFlight"/> messages going round 0 → 1 → 2 → 0 at once, as
/// many smbd processes message each other: one thread per node receives with its own client and
/// passes each message on to the next node through that node's daemon. It measures how many
/// messages per second the daemons carry, not one message's latency. Every payload carries its
/// message number and hop count, which each receiver checks against the last it saw.
/// </summary>
internal sealed class MessageStream : IRound
{
    public const int InFlight = 16;
    public const int Hops = 30000;
    private const ulong Srvid = 0x4D54455354000002; // a private srvid outside CTDB's reserved ranges
    private static readonly TimeSpan s_quiet = TimeSpan.FromSeconds(5);
    private readonly CtdbClient[] _clients;
    private long _lastProgress;

    public MessageStream(LocalCluster cluster)
    {
        _clients = new CtdbClient[cluster.Nodes];
        try
        {
            for (int i = 0; i < _clients.Length; i++)
            {
                _clients[i] = CtdbClient.Connect(cluster.Socket(i));
                _clients[i].Timeout = TimeSpan.FromSeconds(10);
                _clients[i].GetPnn();
                _clients[i].RegisterSrvid(Srvid);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public void Warmup() => Stream(Hops / 10);

    public PhaseResult Run() => Stream(Hops);

    public void Dispose()
    {
        foreach (var c in _clients)
        {
            c?.Dispose();
        }
    }

    private PhaseResult Stream(int hops)
    {
        int nodes = _clients.Length;
        var latencies = new List<long>[nodes];
        var errors = new Exception?[nodes];
        // Hops handed out so far; a message is retired when none are left.
        int issued = 0;
        int retired = 0;
        var threads = new Thread[nodes];
        for (int i = 0; i < nodes; i++)
        {
            int node = i;
            latencies[node] = new List<long>(hops / nodes + InFlight);
            threads[node] = new Thread(() =>
            {
                try
                {
                    Relay(node, hops, latencies[node], ref issued, ref retired);
                }
                catch (Exception e)
                {
                    errors[node] = e;
                    // Let the other relays stop waiting for messages that will not come.
                    Interlocked.Exchange(ref retired, InFlight);
                }
            })
            { IsBackground = true, Name = $"relay-{node}" };
        }

        long start = Stopwatch.GetTimestamp();
        _lastProgress = start;
        foreach (var t in threads)
        {
            t.Start();
        }
        var payload = new byte[64];
        for (uint m = 0; m < InFlight; m++)
        {
            Interlocked.Increment(ref issued);
            Write(payload, m, 1, Stopwatch.GetTimestamp());
            _clients[0].SendMessage(1, Srvid, payload);
        }
        foreach (var t in threads)
        {
            t.Join();
        }
        double wall = (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency;
        if (errors.FirstOrDefault(e => e is not null) is { } error)
        {
            throw new InvalidOperationException($"message stream failed: {error.Message}", error);
        }
        var all = latencies.SelectMany(l => l).ToArray();
        return new PhaseResult(all, all.Length / wall, HitTimeCap: false);
    }

    /// <summary>Receives on one node's client and passes each message to the next node until all are retired.</summary>
    private void Relay(int node, int hops, List<long> latencies, ref int issued, ref int retired)
    {
        var client = _clients[node];
        int next = (node + 1) % _clients.Length;
        var lastHop = new Dictionary<uint, uint>();
        var payload = new byte[64];
        while (Volatile.Read(ref retired) < InFlight)
        {
            if (!client.TryReceiveMessage(TimeSpan.FromMilliseconds(100), out var m) || m is null)
            {
                if (Stopwatch.GetElapsedTime(Volatile.Read(ref _lastProgress)) > s_quiet)
                {
                    throw new TimeoutException($"node {node} received no message for {s_quiet.TotalSeconds:F0} s");
                }
                continue;
            }
            long now = Stopwatch.GetTimestamp();
            Volatile.Write(ref _lastProgress, now);
            var (number, hop, sent) = Read(m, node);
            if (lastHop.TryGetValue(number, out var previous) && hop != previous + (uint)_clients.Length)
            {
                throw new InvalidOperationException($"node {node}: message {number} hop {hop} after hop {previous}");
            }
            lastHop[number] = hop;
            latencies.Add(now - sent);
            if (Interlocked.Increment(ref issued) > hops + InFlight)
            {
                Interlocked.Increment(ref retired);
                continue;
            }
            Write(payload, number, hop + 1, Stopwatch.GetTimestamp());
            client.SendMessage((uint)next, Srvid, payload);
        }
    }

    private static void Write(byte[] payload, uint number, uint hop, long sent)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(payload, number);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(4), hop);
        BinaryPrimitives.WriteInt64LittleEndian(payload.AsSpan(8), sent);
    }

    private static (uint Number, uint Hop, long Sent) Read(CtdbMessage m, int node)
    {
        if (m.Srvid != Srvid || m.Data.Length != 64)
        {
            throw new InvalidOperationException($"node {node} received srvid 0x{m.Srvid:x} with {m.Data.Length} bytes");
        }
        var d = m.Data.AsSpan();
        return (BinaryPrimitives.ReadUInt32LittleEndian(d), BinaryPrimitives.ReadUInt32LittleEndian(d[4..]),
            BinaryPrimitives.ReadInt64LittleEndian(d[8..]));
    }
}
