// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.TestSupport.Nfs4;

public sealed partial class Nfs4Client
{
    /// <summary>All bytes from the offset to the end of the file (NFS4_UINT64_MAX as a length).</summary>
    public const ulong ToEnd = ulong.MaxValue;

    /// <summary>
    /// LOCK of [<paramref name="offset"/>, +<paramref name="length"/>) on an open file: the first
    /// lock of the open creates its lock-owner from the open stateid, later ones reuse it. With
    /// <paramref name="reclaim"/> the lock is reclaimed during the server's grace period.
    /// <paramref name="denied"/> describes the conflicting lock on NFS4ERR_DENIED.
    /// </summary>
    public Nfs4Status TryLock(Nfs4OpenFile file, LockType type, ulong offset, ulong length, bool reclaim,
        out LockDeniedResult? denied)
    {
        var compound = new Nfs4Compound("lock").PutFh(file.Handle);
        bool newOwner = file.LockStateId is null;
        byte[] owner = file.LockOwner ?? NewOwner("lock");
        if (newOwner)
        {
            compound.LockNewOwner(type, reclaim, offset, length, file.OpenSeqid, file.StateId, 0, ClientId, owner);
        }
        else
        {
            compound.LockExistingOwner(type, reclaim, offset, length, file.LockStateId!, file.LockSeqid);
        }
        var reply = Call(compound);
        denied = reply.Find<LockDeniedResult>();
        if (reply.Find(Nfs4Op.Lock) is { } result)
        {
            bool advances = AdvancesSeqid(result.Status);
            if (newOwner)
            {
                file.OpenSeqid += advances ? 1u : 0u;
                if (result is StateIdResult ok)
                {
                    // The server now knows the lock-owner; its next seqid follows the 0 sent.
                    file.LockOwner = owner;
                    file.LockSeqid = 1;
                    file.LockStateId = ok.StateId;
                }
            }
            else
            {
                file.LockSeqid += advances ? 1u : 0u;
                if (result is StateIdResult ok)
                {
                    file.LockStateId = ok.StateId;
                }
            }
        }
        return reply.Status;
    }

    public void Lock(Nfs4OpenFile file, LockType type, ulong offset, ulong length, bool reclaim = false)
    {
        var status = TryLock(file, type, offset, length, reclaim, out _);
        Check(status, $"LOCK{(reclaim ? " reclaim" : "")} {file.Path} {offset}+{length}");
    }

    /// <summary>
    /// LOCKT: tests whether a lock could be set on the file, as a lock-owner of this client that
    /// holds nothing. <paramref name="denied"/> describes the conflicting lock on NFS4ERR_DENIED.
    /// </summary>
    public Nfs4Status TryLockT(Nfs4OpenFile file, LockType type, ulong offset, ulong length, out LockDeniedResult? denied)
    {
        var reply = Call(new Nfs4Compound("lockt").PutFh(file.Handle).LockT(type, offset, length, ClientId, NewOwner("test")));
        denied = reply.Find<LockDeniedResult>();
        return reply.Status;
    }

    /// <summary>LOCKT on <paramref name="path"/> without opening it (LOCKT needs no open state).</summary>
    public Nfs4Status TryLockT(string path, LockType type, ulong offset, ulong length, out LockDeniedResult? denied)
    {
        var reply = Call(new Nfs4Compound("lockt").PutPath(path).LockT(type, offset, length, ClientId, NewOwner("test")));
        denied = reply.Find<LockDeniedResult>();
        return reply.Status;
    }

    /// <summary>LOCKU by the open's lock-owner.</summary>
    public Nfs4Status TryUnlock(Nfs4OpenFile file, LockType type, ulong offset, ulong length)
    {
        var lockStateId = file.LockStateId ?? throw new InvalidOperationException($"{file.Path}: no lock held");
        var reply = Call(new Nfs4Compound("locku").PutFh(file.Handle).LockU(type, file.LockSeqid, lockStateId, offset, length));
        if (reply.Find(Nfs4Op.LockU) is { } result)
        {
            file.LockSeqid += AdvancesSeqid(result.Status) ? 1u : 0u;
            if (result is StateIdResult ok)
            {
                file.LockStateId = ok.StateId;
            }
        }
        return reply.Status;
    }

    public void Unlock(Nfs4OpenFile file, LockType type, ulong offset, ulong length) =>
        Check(TryUnlock(file, type, offset, length), $"LOCKU {file.Path} {offset}+{length}");
}
