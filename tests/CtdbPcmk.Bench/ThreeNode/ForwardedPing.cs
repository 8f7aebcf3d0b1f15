// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Client;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Bench.ThreeNode;

/// <summary>PING sent by a client of node 0 with destination node 1: node 0 forwards it and relays the reply.</summary>
internal sealed class ForwardedPing : IRound
{
    public const int Iterations = 5000;
    private readonly CtdbClient _client;

    public ForwardedPing(LocalCluster cluster)
    {
        _client = CtdbClient.Connect(cluster.Socket(0));
        _client.Timeout = TimeSpan.FromSeconds(10);
        _client.GetPnn();
    }

    public void Warmup()
    {
        for (int i = 0; i < 500; i++)
        {
            Once();
        }
    }

    public PhaseResult Run() => Timed.Loop(Iterations, TimeSpan.FromSeconds(5), _ => Once());

    public void Dispose() => _client.Dispose();

    private void Once()
    {
        int status = _client.ControlRaw(ControlOpcode.Ping, 1, default);
        if (status < 0)
        {
            throw new InvalidOperationException($"PING to node 1 through node 0 answered {status}: {System.Text.Encoding.UTF8.GetString(_client.LastErrorMessage)}");
        }
    }
}
