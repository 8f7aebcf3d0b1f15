// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.TestSupport.Nfs4;

/// <summary>One nfs_resop4: the operation, its status and, when the operation returns data, that data.</summary>
public record Nfs4OpResult(Nfs4Op Op, Nfs4Status Status);

/// <summary>SETCLIENTID4resok.</summary>
public sealed record SetClientIdResult(Nfs4Status Status, ulong ClientId, byte[] Confirm)
    : Nfs4OpResult(Nfs4Op.SetClientId, Status);

/// <summary>OPEN4resok, without change_info and with only the delegation's type.</summary>
public sealed record OpenResult(Nfs4Status Status, Nfs4StateId StateId, uint ResultFlags, DelegationType Delegation)
    : Nfs4OpResult(Nfs4Op.Open, Status)
{
    /// <summary>OPEN4_RESULT_CONFIRM: the open-owner must be confirmed with OPEN_CONFIRM.</summary>
    public const uint ResultConfirm = 0x2;

    public bool NeedsConfirm => (ResultFlags & ResultConfirm) != 0;
}

/// <summary>The stateid returned by OPEN_CONFIRM, CLOSE, LOCK and LOCKU.</summary>
public sealed record StateIdResult(Nfs4Op Op, Nfs4Status Status, Nfs4StateId StateId) : Nfs4OpResult(Op, Status);

/// <summary>LOCK4denied, from LOCK or LOCKT answered NFS4ERR_DENIED.</summary>
public sealed record LockDeniedResult(Nfs4Op Op, Nfs4Status Status, ulong Offset, ulong Length, LockType Type,
    ulong OwnerClientId, byte[] Owner) : Nfs4OpResult(Op, Status);

/// <summary>READ4resok.</summary>
public sealed record ReadResult(Nfs4Status Status, bool Eof, byte[] Data) : Nfs4OpResult(Nfs4Op.Read, Status);

/// <summary>WRITE4resok.</summary>
public sealed record WriteResult(Nfs4Status Status, uint Count, StableHow Committed) : Nfs4OpResult(Nfs4Op.Write, Status);

/// <summary>GETFH4resok.</summary>
public sealed record GetFhResult(Nfs4Status Status, byte[] Handle) : Nfs4OpResult(Nfs4Op.GetFh, Status);

/// <summary>GETATTR4resok for the size attribute: null when the server did not return it.</summary>
public sealed record GetAttrResult(Nfs4Status Status, ulong? Size) : Nfs4OpResult(Nfs4Op.GetAttr, Status);
