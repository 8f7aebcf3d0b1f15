// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using CtdbPcmk.TestSupport.Nfs4;

namespace CtdbPcmk.Nfs.Tests;

/// <summary>
/// What a node that took another's clients over must do, checked the same way whatever put it
/// in grace: a client without state (B) is held off with NFS4ERR_GRACE; the client of the lost
/// node (A, from its own address, with its id string) reclaims its open and write lock on
/// bytes 0..99 and reads its data; once grace is over B is served, but A's reclaimed lock holds.
/// </summary>
internal static class TakeoverReclaim
{
    /// <summary>Runs the checks against the taker; returns how long after <paramref name="graceBegan"/> B was served.</summary>
    public static TimeSpan Check(string address, int port, string clientIp, string idA, string path, byte[] data,
        Stopwatch graceBegan, Func<string> logTail)
    {
        using var b = Nfs4Client.Connect(address, port);
        b.SetClientId($"ctdbpcmk-test-B {address}/{address} tcp");
        Assert.Equal(Nfs4Status.NFS4ERR_GRACE, b.TryOpen(path, ShareAccess.Both, ShareDeny.None, false, out _));

        using var a = Nfs4Client.Connect(address, port, clientIp);
        a.SetClientId(idA);
        var status = a.TryReclaimOpen(path, ShareAccess.Both, ShareDeny.None, out var reclaimed);
        Assert.True(status == Nfs4Status.NFS4_OK, $"reclaim of the open on {address}: {status}\n{logTail()}");
        a.Lock(reclaimed!, LockType.Write, 0, 100, reclaim: true);
        Assert.Equal(data, a.Read(reclaimed!));

        Nfs4OpenFile? fileB = null;
        status = Nfs4Status.NFS4ERR_GRACE;
        while (status == Nfs4Status.NFS4ERR_GRACE && graceBegan.Elapsed < TimeSpan.FromSeconds(25))
        {
            Thread.Sleep(500);
            a.Renew();
            status = b.TryOpen(path, ShareAccess.Both, ShareDeny.None, false, out fileB);
        }
        var served = graceBegan.Elapsed;
        Assert.True(status == Nfs4Status.NFS4_OK, $"B's open after grace: {status}\n{logTail()}");
        Assert.Equal(Nfs4Status.NFS4ERR_DENIED, b.TryLock(fileB!, LockType.Write, 0, 1, reclaim: false, out var denied));
        Assert.Equal(a.ClientId, denied!.OwnerClientId);
        return served;
    }
}
