// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Text;
using CtdbPcmk.TestSupport.Nfs4;
using static CtdbPcmk.E2E.Tests.ClusterState;

namespace CtdbPcmk.E2E.Tests;

/// <summary>
/// NFSv4 through the VIPs: NFS-Ganesha on every node (ocf:ctdb:nfs) exporting the share's
/// directory as /share, libnfs's tools and our NFSv4.0 client at the client address, grace on
/// the node taking an address over (ocf:ctdb:vip nfs_grace).
/// </summary>
public sealed partial class ClusterTests
{
    private const int NfsPort = 2049;

    [Fact]
    public void NfsServesTheShareThroughBothVipsAndSmbSeesTheSameFile()
    {
        var name = Unique("nfs");
        var local = Path.Combine(Path.GetTempPath(), name);
        File.WriteAllText(local, "written over NFSv4 through VIP 1\n");
        try
        {
            Libnfs("nfs-cp", local, NfsUrl(Vip1, name));
            Assert.Equal("written over NFSv4 through VIP 1\n", Libnfs("nfs-cat", NfsUrl(Vip2, name)));
            Assert.Contains(name, Libnfs("nfs-ls", NfsUrl(Vip2, "")), StringComparison.Ordinal);
            Assert.Contains(name, Smbclient(Vip1, "ls"), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(local);
        }
    }

    /// <summary>
    /// Power loss of the node holding VIP 1 while a client holds an open and a lock through it:
    /// the node taking the address over enters grace for it (its D-Bus reply logged by the vip
    /// agent), a second client is refused new state meanwhile, the first reclaims its open and
    /// lock through the same address and reads what it wrote; what libnfs wrote is there too.
    /// After grace the reclaimed lock still holds against the second client.
    /// </summary>
    [Fact]
    public void KillingVip1sNodeKeepsNfsDataAndLetsItsClientReclaimDuringGrace()
    {
        var holder = CrmMon.NodeNumber(CrmMon.Where(_box.CrmMon(1), "vip1").Single());
        var survivor = new[] { 1, 2, 3 }.First(n => n != holder);
        var name = Unique("nfs-kill");
        var libnfsFile = Path.Combine(Path.GetTempPath(), name + ".libnfs");
        File.WriteAllText(libnfsFile, "written with libnfs before the power loss\n");
        var data = Encoding.ASCII.GetBytes("acknowledged by FILE_SYNC before the power loss\n");
        var idA = $"ctdbpcmk-e2e-A {ClientIp}/{Vip1} tcp";
        var path = "/share/" + name;
        try
        {
            Libnfs("nfs-cp", libnfsFile, NfsUrl(Vip1, name + ".libnfs"));
            using (var a = ConnectNfs(Vip1))
            {
                a.SetClientId(idA);
                var file = a.Open(path, ShareAccess.Both, ShareDeny.None, create: true);
                a.Write(file, 0, data);
                a.Lock(file, LockType.Write, 0, 100);
            }

            var killedAt = Stopwatch.StartNew();
            _box.Kill(holder);
            var taker = 0;
            Wait.Until(() => _box.NodesWithAddress(Vip1) is [var n] && n != holder && (taker = n) > 0, s_failover,
                () => $"{Vip1} on [{string.Join(' ', _box.NodesWithAddress(Vip1))}]");
            var movedAfter = killedAt.Elapsed;

            // The address answers NFS again; a client that held nothing gets GRACE for new state.
            using var b = Wait.UntilValue(() => TryConnectNfs(Vip1), TimeSpan.FromSeconds(30), () => $"no NFS on {Vip1}");
            b.SetClientId($"ctdbpcmk-e2e-B {ClientIp}/{Vip1} tcp");
            var newOpen = b.TryOpen(path, ShareAccess.Both, ShareDeny.None, false, out _);
            Assert.True(newOpen == Nfs4Status.NFS4ERR_GRACE, $"a new open right after the takeover: {newOpen}");

            using var a2 = ConnectNfs(Vip1);
            a2.SetClientId(idA);
            var reclaim = a2.TryReclaimOpen(path, ShareAccess.Both, ShareDeny.None, out var reclaimed);
            Assert.True(reclaim == Nfs4Status.NFS4_OK, $"reclaim of the open on n{taker}: {reclaim}\n{GaneshaLog(taker)}");
            a2.Lock(reclaimed!, LockType.Write, 0, 100, reclaim: true);
            Assert.Equal(data, a2.Read(reclaimed!));
            var reclaimedAfter = killedAt.Elapsed;

            // The grace call went over D-Bus and ganesha answered it: the vip agent logs the reply.
            var pacemakerLog = File.ReadAllText(Path.Combine(_box.Dir, $"n{taker}", "log", "pacemaker", "pacemaker.log"));
            Assert.Contains($"NFS-Ganesha grace(\"5:{Vip1}\"): Started grace period; clients of node {holder} may reclaim", pacemakerLog, StringComparison.Ordinal);
            Assert.Contains($"ip {Vip1}", GaneshaLog(taker), StringComparison.Ordinal);

            // After grace, B is served, but A's reclaimed lock holds.
            Nfs4OpenFile? fileB = null;
            var status = Nfs4Status.NFS4ERR_GRACE;
            var graceWait = Stopwatch.StartNew();
            while (status == Nfs4Status.NFS4ERR_GRACE && graceWait.Elapsed < TimeSpan.FromSeconds(40))
            {
                Thread.Sleep(1000);
                a2.Renew();
                b.Renew();
                status = b.TryOpen(path, ShareAccess.Both, ShareDeny.None, false, out fileB);
            }
            Assert.True(status == Nfs4Status.NFS4_OK, $"B's open after grace: {status}");
            Assert.Equal(Nfs4Status.NFS4ERR_DENIED, b.TryLock(fileB!, LockType.Write, 0, 1, reclaim: false, out var denied));
            Assert.Equal(a2.ClientId, denied!.OwnerClientId);
            // What libnfs wrote before the power loss, read by a new libnfs client once grace is over.
            Assert.Equal("written with libnfs before the power loss\n", Libnfs("nfs-cat", NfsUrl(Vip1, name + ".libnfs")));
            _output.WriteLine($"killed n{holder}: {Vip1} on n{taker} after {movedAfter.TotalMilliseconds:F0} ms, open and lock reclaimed " +
                $"after {reclaimedAfter.TotalMilliseconds:F0} ms, new state served {graceWait.Elapsed.TotalSeconds:F1} s later");
        }
        finally
        {
            File.Delete(libnfsFile);
            Restore(_box);
        }
    }

    private static string NfsUrl(string vip, string file) => $"nfs://{vip}/share/{file}?version=4";

    /// <summary>
    /// A libnfs tool at the client address; its output. A server in grace (after an earlier
    /// test moved an address or restarted a node, for up to its Grace_Period) refuses new opens
    /// with NFS4ERR_GRACE: libnfs gives up at once, so the tool is run again until grace is over.
    /// </summary>
    private string Libnfs(params string[] argv)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var r = _box.Run(["client", .. argv]);
            if (r.Code == 0)
            {
                return r.Stdout;
            }
            Assert.True(r.Stderr.Contains("NFS4ERR_GRACE", StringComparison.Ordinal) && watch.Elapsed < TimeSpan.FromSeconds(60), $"{string.Join(' ', argv)}: {r}");
            Thread.Sleep(1000);
        }
    }

    private string GaneshaLog(int node)
    {
        var path = Path.Combine(_box.Dir, $"n{node}", "log", "ganesha", "ganesha.log");
        return File.Exists(path) ? File.ReadAllText(path) : $"(no {path})";
    }

    /// <summary>A client socket opened in the box's client namespace (the client address).</summary>
    private Nfs4Client ConnectNfs(string vip) =>
        NetNamespace.RunIn(_box.ClientNetns, () => Nfs4Client.Connect(vip, NfsPort, timeout: TimeSpan.FromSeconds(10)));

    private Nfs4Client? TryConnectNfs(string vip)
    {
        try
        {
            var client = ConnectNfs(vip);
            client.Null();
            return client;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.Net.Sockets.SocketException or RpcException)
        {
            return null;
        }
    }
}
