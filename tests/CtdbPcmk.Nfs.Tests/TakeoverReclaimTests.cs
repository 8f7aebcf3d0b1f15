// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Text;
using CtdbPcmk.TestSupport.Nfs4;
using Xunit.Abstractions;

namespace CtdbPcmk.Nfs.Tests;

/// <summary>
/// Two ganesha instances on one machine share one recovery root, as cluster nodes 1 and 2 on
/// 127.0.0.1 and 127.0.0.2. Node 1 crashes; node 2 is told to take over node 1's clients
/// (grace "4:1"), and the client reclaims its open and lock there.
/// </summary>
public sealed class TakeoverReclaimTests(ITestOutputHelper output) : IDisposable
{
    private readonly GaneshaHost _host = new();

    [Fact]
    public void Client_of_a_crashed_node_reclaims_on_the_node_that_takes_over()
    {
        var node1 = _host.Start(_host.Options("127.0.0.1", nodeId: 1) with { GracePeriod = 10, LeaseLifetime = 5 });
        var node2 = _host.Start(_host.Options("127.0.0.2", nodeId: 2) with { GracePeriod = 10, LeaseLifetime = 5 });
        // The client's address is part of its recovery record: it keeps 127.0.0.1 as its own
        // address when it moves to node 2.
        const string clientIp = "127.0.0.1";
        string idA = $"ctdbpcmk-test-A {node1.Address}/{clientIp} tcp";
        byte[] data = Encoding.ASCII.GetBytes("written on node 1\n");

        using (var a = Nfs4Client.Connect(node1.Address, node1.Port, clientIp))
        {
            a.SetClientId(idA);
            var file = a.Open("/share/moved", ShareAccess.Both, ShareDeny.None, create: true);
            a.Write(file, 0, data);
            a.Lock(file, LockType.Write, 0, 100);
        }
        Assert.Single(Directory.GetDirectories(Path.Combine(_host.RecoveryRoot, "v4recov", "node1")));
        node1.Kill();

        string reply = node2.Grace("4:1");
        var takeover = Stopwatch.StartNew();
        output.WriteLine($"note: grace 4:1 on node 2 answered: {string.Join(' ', reply.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Skip(1))}");

        var served = TakeoverReclaim.Check(node2.Address, node2.Port, clientIp, idA, "/share/moved", data, takeover, () => node2.LogTail());
        output.WriteLine($"note: node 2 served new opens {served.TotalSeconds:F1} s after the takeover grace began");
    }

    public void Dispose() => _host.Dispose();
}
