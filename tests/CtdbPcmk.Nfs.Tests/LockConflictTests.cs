// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.TestSupport.Nfs4;

namespace CtdbPcmk.Nfs.Tests;

/// <summary>Byte-range locks of two clients on one server conflict as NFSv4 says.</summary>
public sealed class LockConflictTests : IDisposable
{
    private readonly GaneshaHost _host = new();

    [Fact]
    public void Write_lock_of_one_client_denies_the_other()
    {
        var ganesha = _host.Start(_host.Options());
        using var a = Nfs4Client.Connect(ganesha.Address, ganesha.Port);
        using var b = Nfs4Client.Connect(ganesha.Address, ganesha.Port);
        a.SetClientId($"ctdbpcmk-test-A {ganesha.Address}/{ganesha.Address} tcp");
        b.SetClientId($"ctdbpcmk-test-B {ganesha.Address}/{ganesha.Address} tcp");

        var fileA = a.Open("/share/locked", ShareAccess.Both, ShareDeny.None, create: true);
        a.Lock(fileA, LockType.Write, 0, 100);
        var fileB = b.Open("/share/locked", ShareAccess.Both, ShareDeny.None);

        Assert.Equal(Nfs4Status.NFS4ERR_DENIED, b.TryLock(fileB, LockType.Write, 50, 10, reclaim: false, out var denied));
        Assert.NotNull(denied);
        Assert.Equal((0ul, 100ul, LockType.Write, a.ClientId), (denied.Offset, denied.Length, denied.Type, denied.OwnerClientId));

        Assert.Equal(Nfs4Status.NFS4ERR_DENIED, b.TryLockT(fileB, LockType.Read, 99, 1, out var tested));
        Assert.Equal((0ul, 100ul), (tested!.Offset, tested.Length));
        Assert.Equal(Nfs4Status.NFS4_OK, b.TryLockT("/share/locked", LockType.Write, 100, 50, out _));

        // Outside A's range B locks; once A unlocks, B gets the range it was denied.
        b.Lock(fileB, LockType.Write, 200, 10);
        a.Unlock(fileA, LockType.Write, 0, 100);
        b.Lock(fileB, LockType.Write, 50, 10);
        Assert.Equal(Nfs4Status.NFS4ERR_DENIED, a.TryLock(fileA, LockType.Read, 55, 1, reclaim: false, out _));
        // NFSv4.0 lets a server refuse CLOSE while the open's lock-owner holds locks; ganesha does.
        Assert.Equal(Nfs4Status.NFS4ERR_LOCKS_HELD, b.TryClose(fileB));
        b.Unlock(fileB, LockType.Write, 0, Nfs4Client.ToEnd);
        b.Close(fileB);
        a.Close(fileA);
    }

    [Fact]
    public void Deny_write_share_keeps_a_second_writer_out()
    {
        var ganesha = _host.Start(_host.Options());
        using var a = Nfs4Client.Connect(ganesha.Address, ganesha.Port);
        using var b = Nfs4Client.Connect(ganesha.Address, ganesha.Port);
        a.SetClientId($"ctdbpcmk-test-A {ganesha.Address}/{ganesha.Address} tcp");
        b.SetClientId($"ctdbpcmk-test-B {ganesha.Address}/{ganesha.Address} tcp");
        var fileA = a.Open("/share/shared", ShareAccess.Both, ShareDeny.Write, create: true);
        Assert.Equal(Nfs4Status.NFS4ERR_SHARE_DENIED, b.TryOpen("/share/shared", ShareAccess.Write, ShareDeny.None, false, out _));
        var reader = b.Open("/share/shared", ShareAccess.Read);
        b.Close(reader);
        a.Close(fileA);
    }

    public void Dispose() => _host.Dispose();
}
