// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Net;
using System.Text;
using CtdbPcmk.Linux;
using CtdbPcmk.Ocf;
using CtdbPcmk.TestSupport.Nfs4;
using Xunit.Abstractions;

namespace CtdbPcmk.Nfs.Tests;

/// <summary>
/// The grace calls ocf:ctdb:vip's nfs_grace makes (<see cref="NfsTakeover"/> with the takeover
/// file the nfs agent wrote) over the real D-Bus, to NFS-Ganesha started by the agent.
/// </summary>
public sealed class NfsGraceTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_callTimeout = TimeSpan.FromSeconds(10);

    private static IGaneshaAdmin Connect(NfsTakeover takeover) => DBusGaneshaAdmin.Connect(takeover.BusAddress, s_callTimeout);

    [Fact]
    public void Take_puts_ganesha_in_grace_for_the_address_and_release_lets_its_clients_go()
    {
        using var box = new NfsSandbox();
        box.Ok("start");
        var takeover = NfsTakeover.Load(box.StateDirectory)!;
        var layout = new RecoveryLayout(box.RecoveryRoot);
        layout.PrepareNode(2);
        var address = IPAddress.Parse("192.0.2.21");
        layout.SetHolder(address, 2);
        using var agentLog = new StringWriter();
        var log = new OcfLog("vip", OcfEnvironment.From(new Dictionary<string, string>()), agentLog);

        using (var admin = Connect(takeover))
        {
            Assert.False(admin.InGrace(), "ganesha is in grace before the takeover");
        }
        takeover.Take(address, Connect, log);
        using (var admin = Connect(takeover))
        {
            Assert.True(admin.InGrace(), $"not in grace after Take\n{box.LogTail()}");
        }
        Assert.Equal(1, layout.Holder(address));
        Assert.Contains("grace(\"5:192.0.2.21\")", agentLog.ToString());
        Assert.Contains("clients of node 2 may reclaim", agentLog.ToString());
        output.WriteLine(box.LogTail(6));
        // Ganesha's own account: the event, and where it read the clients to reclaim.
        Assert.Contains("NFS Server recovery event 5 nodeid -1 ip 192.0.2.21", box.Log);
        Assert.Contains($"Recovery for nodeid -1 dir ({box.RecoveryRoot}/192.0.2.21/v4recov)", box.Log);

        var before = box.Log.Length;
        takeover.Release(address, Connect, log);
        Assert.Contains("released the clients of 192.0.2.21", agentLog.ToString());
        output.WriteLine(box.LogTail(4));
        var released = box.Log[before..];
        Assert.Contains("NFS Server recovery event 2 nodeid -1 ip 192.0.2.21", released);
        Assert.Contains("NFS Server V4 recovery release ip 192.0.2.21", released);
        box.Ok("monitor");
    }

    /// <summary>
    /// Nodes 1 and 2 share the RecoveryRoot. Node 1 takes 127.0.0.1 and serves a client's open
    /// and lock; it crashes; node 2 takes the address ("5:127.0.0.1" through the link to node 1's
    /// records) and the client reclaims there while a new client is held off by grace.
    /// </summary>
    [Fact]
    public void A_client_of_a_crashed_node_reclaims_on_the_node_that_takes_its_address()
    {
        using var node1 = new NfsSandbox("127.0.0.1", nodeId: 1, gracePeriod: 6, leaseLifetime: 3);
        using var node2 = node1.Peer("127.0.0.2", nodeId: 2);
        node1.Ok("start");
        node2.Ok("start");
        var address = IPAddress.Parse(node1.Address);
        using var agentLog = new StringWriter();
        var log = new OcfLog("vip", OcfEnvironment.From(new Dictionary<string, string>()), agentLog);
        NfsTakeover.Load(node1.StateDirectory)!.Take(address, Connect, log);
        Assert.Equal(1, new RecoveryLayout(node1.RecoveryRoot).Holder(address));

        const string clientIp = "127.0.0.1";
        string idA = $"ctdbpcmk-agent-A {node1.Address}/{clientIp} tcp";
        byte[] data = Encoding.ASCII.GetBytes("written on node 1\n");
        using (var a = Nfs4Client.Connect(node1.Address, node1.Port, clientIp))
        {
            a.SetClientId(idA);
            var file = a.Open("/share/moved", ShareAccess.Both, ShareDeny.None, create: true);
            a.Write(file, 0, data);
            a.Lock(file, LockType.Write, 0, 100);
        }
        // Node 1's records, as a grace for its address reads them.
        Assert.Single(Directory.GetFileSystemEntries(Path.Combine(node1.RecoveryRoot, node1.Address, "v4recov")));
        node1.Signal(ProcessTree.SigKill);

        NfsTakeover.Load(node2.StateDirectory)!.Take(address, Connect, log);
        var takeover = Stopwatch.StartNew();
        Assert.Equal(2, new RecoveryLayout(node1.RecoveryRoot).Holder(address));
        output.WriteLine(node2.LogTail(4));
        Assert.Contains($"Recovery for nodeid -1 dir ({node1.RecoveryRoot}/127.0.0.1/v4recov)", node2.Log);

        var served = TakeoverReclaim.Check(node2.Address, node2.Port, clientIp, idA, "/share/moved", data, takeover, () => node2.LogTail());
        output.WriteLine($"note: node 2 served new opens {served.TotalSeconds:F1} s after Take");
    }
}
