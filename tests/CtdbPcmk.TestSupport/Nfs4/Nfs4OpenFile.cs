// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.TestSupport.Nfs4;

/// <summary>
/// A file a client has open: its handle, the open-owner and its next seqid, the open stateid,
/// and the lock-owner state once the client has locked (NFSv4.0 sequences each owner's
/// state-changing operations by seqid; see RFC 7530 section 9.1.7). Each open has its own
/// open-owner, so seqids never interleave between files.
/// </summary>
public sealed class Nfs4OpenFile
{
    internal Nfs4OpenFile(string path, byte[] handle, byte[] openOwner, uint openSeqid, Nfs4StateId stateId,
        ShareAccess access)
    {
        Path = path;
        Handle = handle;
        OpenOwner = openOwner;
        OpenSeqid = openSeqid;
        StateId = stateId;
        Access = access;
    }

    public string Path { get; }

    public byte[] Handle { get; }

    public ShareAccess Access { get; }

    public byte[] OpenOwner { get; }

    /// <summary>The seqid the open-owner's next OPEN_CONFIRM, CLOSE or first LOCK carries.</summary>
    public uint OpenSeqid { get; internal set; }

    public Nfs4StateId StateId { get; internal set; }

    /// <summary>The lock-owner the server knows for this open, once a LOCK succeeded.</summary>
    public byte[]? LockOwner { get; internal set; }

    public uint LockSeqid { get; internal set; }

    public Nfs4StateId? LockStateId { get; internal set; }

    public override string ToString() => $"{Path} open {StateId} lock {LockStateId?.ToString() ?? "-"}";
}
