// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Text;
using CtdbPcmk.TestSupport.Nfs4;
using Xunit.Abstractions;

namespace CtdbPcmk.Nfs.Tests;

/// <summary>
/// Ganesha crashes (SIGKILL) and starts again on the same recovery root: the client that held an
/// open and a lock reclaims both during the grace period, new state waits for the end of grace,
/// and afterwards the reclaimed lock still holds.
/// </summary>
public sealed class RestartReclaimTests(ITestOutputHelper output) : IDisposable
{
    private readonly GaneshaHost _host = new();

    [Fact]
    public void Open_and_lock_are_reclaimed_after_a_crash_and_new_state_waits_for_grace()
    {
        var options = _host.Options() with { GracePeriod = 10, LeaseLifetime = 5 };
        var ganesha = _host.Start(options);
        string ip = ganesha.Address;
        string idA = $"ctdbpcmk-test-A {ip}/{ip} tcp";
        byte[] data = Encoding.ASCII.GetBytes("held by A\n");

        using (var a = Nfs4Client.Connect(ip, ganesha.Port))
        {
            a.SetClientId(idA);
            var file = a.Open("/share/reclaimed", ShareAccess.Both, ShareDeny.None, create: true);
            a.Write(file, 0, data);
            a.Lock(file, LockType.Write, 0, 100);
        }
        // The fs backend recorded A as a client that may reclaim: a directory named
        // "<client address>-(<length>:<id>)". An id string holding a '/' (as ours and Linux's
        // do) is written in hex, "0x" and two lower-case digits a byte.
        string hexId = "0x" + Convert.ToHexStringLower(Encoding.UTF8.GetBytes(idA));
        var records = Directory.GetDirectories(Path.Combine(_host.RecoveryRoot, "v4recov", "node0"));
        Assert.Equal([$"::ffff:{ip}-({hexId.Length}:{hexId})"], records.Select(Path.GetFileName));

        ganesha.Kill();
        ganesha = _host.Restart(ganesha);
        var restarted = Stopwatch.StartNew();

        using var b = Nfs4Client.Connect(ip, ganesha.Port);
        b.SetClientId($"ctdbpcmk-test-B {ip}/{ip} tcp");
        Assert.Equal(Nfs4Status.NFS4ERR_GRACE, b.TryOpen("/share/reclaimed", ShareAccess.Both, ShareDeny.None, false, out _));
        Assert.Equal(Nfs4Status.NFS4ERR_GRACE, b.TryOpen("/share/new-in-grace", ShareAccess.Both, ShareDeny.None, true, out _));
        Assert.Equal(Nfs4Status.NFS4ERR_GRACE, b.TryLockT("/share/reclaimed", LockType.Write, 0, 10, out _));

        using var a2 = Nfs4Client.Connect(ip, ganesha.Port);
        a2.SetClientId(idA);
        var reclaimed = a2.ReclaimOpen("/share/reclaimed", ShareAccess.Both, ShareDeny.None);
        a2.Lock(reclaimed, LockType.Write, 0, 100, reclaim: true);
        // Reclaiming is over for A: its new lock in grace is refused like anyone's.
        Assert.Equal(Nfs4Status.NFS4ERR_GRACE, a2.TryLock(reclaimed, LockType.Write, 500, 10, reclaim: false, out _));

        // A client the server never recorded has nothing to reclaim. Ganesha decides per client
        // whether it may reclaim (its record was in the recovery directory when grace began);
        // for one that may not, it answers as if there were no grace, although the server is
        // in grace: NFS4ERR_NO_GRACE, not NFS4ERR_RECLAIM_BAD.
        using var c = Nfs4Client.Connect(ip, ganesha.Port);
        c.SetClientId($"ctdbpcmk-test-C {ip}/{ip} tcp");
        var stranger = c.TryReclaimOpen("/share/reclaimed", ShareAccess.Read, ShareDeny.None, out _);
        output.WriteLine($"note: ganesha answers an unrecorded client's CLAIM_PREVIOUS in grace with {stranger}");
        Assert.Equal(Nfs4Status.NFS4ERR_NO_GRACE, stranger);

        // Until grace ends B is refused; A renews its lease meanwhile.
        Nfs4OpenFile? fileB = null;
        var status = Nfs4Status.NFS4ERR_GRACE;
        while (status == Nfs4Status.NFS4ERR_GRACE && restarted.Elapsed < TimeSpan.FromSeconds(options.GracePeriod + 15))
        {
            Thread.Sleep(500);
            a2.Renew();
            status = b.TryOpen("/share/reclaimed", ShareAccess.Both, ShareDeny.None, false, out fileB);
        }
        output.WriteLine($"note: B was served {restarted.Elapsed.TotalSeconds:F1} s after the restart (Grace_Period {options.GracePeriod})");
        Assert.True(status == Nfs4Status.NFS4_OK, $"B's open after grace: {status}\n{ganesha.LogTail()}");
        Assert.True(restarted.Elapsed > TimeSpan.FromSeconds(options.GracePeriod - 2), $"grace ended early, after {restarted.Elapsed}");

        Assert.Equal(Nfs4Status.NFS4ERR_DENIED, b.TryLock(fileB!, LockType.Write, 10, 10, reclaim: false, out var denied));
        Assert.Equal((0ul, 100ul, a2.ClientId), (denied!.Offset, denied.Length, denied.OwnerClientId));
        Assert.Equal(data, a2.Read(reclaimed));
        // After grace a reclaim is refused.
        Assert.Equal(Nfs4Status.NFS4ERR_NO_GRACE, a2.TryLock(reclaimed, LockType.Write, 300, 10, reclaim: true, out _));
    }

    [Fact]
    public void Reclaim_without_a_grace_period_is_no_grace()
    {
        // A first start with no recorded clients lifts grace at once.
        var ganesha = _host.Start(_host.Options());
        using var c = Nfs4Client.Connect(ganesha.Address, ganesha.Port);
        c.SetClientId($"ctdbpcmk-test-C {ganesha.Address}/{ganesha.Address} tcp");
        c.Open("/share/present", ShareAccess.Both, ShareDeny.None, create: true);
        Assert.Equal(Nfs4Status.NFS4ERR_NO_GRACE, c.TryReclaimOpen("/share/present", ShareAccess.Read, ShareDeny.None, out _));
    }

    public void Dispose() => _host.Dispose();
}
