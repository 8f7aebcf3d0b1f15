// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using CtdbPcmk.Client;

namespace CtdbPcmk.Bench.ThreeNode;

/// <summary>
/// One message passed round nodes 0 → 1 → 2 → 0: each hop is a REQ_MESSAGE from a client of one
/// node to a srvid a client of the next node registered, timed from send to receipt. Every
/// payload carries the hop number, which the receiver checks.
/// </summary>
internal sealed class MessageRing : IRound
{
    public const int Iterations = 3000;
    private const ulong Srvid = 0x4D54455354000001; // a private srvid outside CTDB's reserved ranges
    private static readonly TimeSpan s_hopTimeout = TimeSpan.FromSeconds(5);
    private readonly CtdbClient[] _clients;
    private readonly byte[] _payload = new byte[64];
    private uint _hop;

    public MessageRing(LocalCluster cluster)
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

    public void Warmup()
    {
        for (int i = 0; i < 300; i++)
        {
            Hop(i);
        }
    }

    public PhaseResult Run() => Timed.Loop(Iterations, TimeSpan.FromSeconds(5), Hop);

    public void Dispose()
    {
        foreach (var c in _clients)
        {
            c?.Dispose();
        }
    }

    private void Hop(int _)
    {
        int from = (int)(_hop % (uint)_clients.Length);
        int to = (from + 1) % _clients.Length;
        BinaryPrimitives.WriteUInt32LittleEndian(_payload, _hop);
        _clients[from].SendMessage((uint)to, Srvid, _payload);
        if (!_clients[to].TryReceiveMessage(s_hopTimeout, out var m) || m is null)
        {
            throw new TimeoutException($"message {_hop} from node {from} did not reach node {to} within {s_hopTimeout.TotalSeconds:F0} s");
        }
        if (m.Srvid != Srvid || m.Data.Length != _payload.Length || BinaryPrimitives.ReadUInt32LittleEndian(m.Data) != _hop)
        {
            throw new InvalidOperationException($"node {to} received srvid 0x{m.Srvid:x} with {m.Data.Length} bytes, expected message {_hop}");
        }
        _hop++;
    }
}
