// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text;

namespace CtdbPcmk.TestSupport.Nfs4;

/// <summary>
/// Builds the arguments of one COMPOUND procedure (RFC 7530 section 15.2, minor version 0):
/// the tag, the minor version and the operations in order. Pure: <see cref="Encode"/> gives the
/// bytes that follow the RPC call header.
/// </summary>
public sealed class Nfs4Compound
{
    public const uint Program = 100003;
    public const uint Version = 4;
    public const uint ProcNull = 0;
    public const uint ProcCompound = 1;

    /// <summary>FATTR4_SIZE, bit 4 of the first bitmap word.</summary>
    public const int AttrSize = 4;

    /// <summary>FATTR4_MODE, bit 33: bit 1 of the second bitmap word.</summary>
    public const int AttrMode = 33;

    private readonly XdrWriter _ops = new();
    private readonly List<Nfs4Op> _opList = [];

    public Nfs4Compound(string tag = "") => Tag = tag;

    public string Tag { get; }

    /// <summary>The operations added so far, in order.</summary>
    public IReadOnlyList<Nfs4Op> Ops => _opList;

    /// <summary>COMPOUND4args.</summary>
    public byte[] Encode()
    {
        var w = new XdrWriter().WriteString(Tag).WriteUInt32(0).WriteUInt32((uint)_opList.Count);
        w.WriteBytes(_ops.WrittenSpan);
        return w.ToArray();
    }

    public Nfs4Compound PutRootFh()
    {
        Op(Nfs4Op.PutRootFh);
        return this;
    }

    public Nfs4Compound PutFh(byte[] handle)
    {
        Op(Nfs4Op.PutFh).WriteOpaque(handle);
        return this;
    }

    public Nfs4Compound Lookup(string name)
    {
        Op(Nfs4Op.Lookup).WriteString(name);
        return this;
    }

    /// <summary>PUTROOTFH and one LOOKUP per component of <paramref name="path"/> ("/share/dir").</summary>
    public Nfs4Compound PutPath(string path)
    {
        PutRootFh();
        foreach (string part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            Lookup(part);
        }
        return this;
    }

    public Nfs4Compound GetFh()
    {
        Op(Nfs4Op.GetFh);
        return this;
    }

    /// <summary>GETATTR asking for the size only.</summary>
    public Nfs4Compound GetAttrSize()
    {
        Op(Nfs4Op.GetAttr).WriteUInt32Array([1u << AttrSize]);
        return this;
    }

    /// <summary>SETCLIENTID with a callback the server cannot reach (no delegations are wanted).</summary>
    public Nfs4Compound SetClientId(byte[] verifier, string id, uint callbackIdent = 1)
    {
        Op(Nfs4Op.SetClientId).WriteFixedOpaque(Verifier(verifier)).WriteOpaque(Encoding.UTF8.GetBytes(id))
            .WriteUInt32(0x4000_0000).WriteString("tcp").WriteString("127.0.0.1.0.0").WriteUInt32(callbackIdent);
        return this;
    }

    public Nfs4Compound SetClientIdConfirm(ulong clientId, byte[] confirm)
    {
        Op(Nfs4Op.SetClientIdConfirm).WriteUInt64(clientId).WriteFixedOpaque(Verifier(confirm));
        return this;
    }

    public Nfs4Compound Renew(ulong clientId)
    {
        Op(Nfs4Op.Renew).WriteUInt64(clientId);
        return this;
    }

    /// <summary>
    /// OPEN with CLAIM_NULL of <paramref name="name"/> in the current directory; with
    /// <paramref name="create"/> as OPEN4_CREATE UNCHECKED4 with mode 0644.
    /// </summary>
    public Nfs4Compound Open(uint seqid, ShareAccess access, ShareDeny deny, ulong clientId, byte[] owner,
        string name, bool create)
    {
        var w = OpenHead(seqid, access, deny, clientId, owner);
        if (create)
        {
            // openflag4 OPEN4_CREATE, createhow4 UNCHECKED4, fattr4 { mode }
            w.WriteUInt32(1).WriteUInt32(0).WriteUInt32Array([0u, 1u << (AttrMode - 32)]).WriteOpaque(new XdrWriter().WriteUInt32(0x1a4).ToArray());
        }
        else
        {
            w.WriteUInt32(0);
        }
        w.WriteUInt32(0).WriteString(name); // open_claim4 CLAIM_NULL
        return this;
    }

    /// <summary>OPEN with CLAIM_PREVIOUS: reclaims the open of the current file after a server restart.</summary>
    public Nfs4Compound OpenPrevious(uint seqid, ShareAccess access, ShareDeny deny, ulong clientId, byte[] owner,
        DelegationType delegation = DelegationType.None)
    {
        OpenHead(seqid, access, deny, clientId, owner).WriteUInt32(0).WriteUInt32(1).WriteUInt32((uint)delegation);
        return this;
    }

    public Nfs4Compound OpenConfirm(Nfs4StateId openStateId, uint seqid)
    {
        var w = Op(Nfs4Op.OpenConfirm);
        openStateId.Write(w);
        w.WriteUInt32(seqid);
        return this;
    }

    public Nfs4Compound Close(uint seqid, Nfs4StateId openStateId)
    {
        openStateId.Write(Op(Nfs4Op.Close).WriteUInt32(seqid));
        return this;
    }

    public Nfs4Compound Read(Nfs4StateId stateId, ulong offset, uint count)
    {
        var w = Op(Nfs4Op.Read);
        stateId.Write(w);
        w.WriteUInt64(offset).WriteUInt32(count);
        return this;
    }

    public Nfs4Compound Write(Nfs4StateId stateId, ulong offset, ReadOnlySpan<byte> data, StableHow stable = StableHow.FileSync)
    {
        var w = Op(Nfs4Op.Write);
        stateId.Write(w);
        w.WriteUInt64(offset).WriteUInt32((uint)stable).WriteOpaque(data);
        return this;
    }

    /// <summary>LOCK by a new lock-owner (open_to_lock_owner4), from an open stateid.</summary>
    public Nfs4Compound LockNewOwner(LockType type, bool reclaim, ulong offset, ulong length, uint openSeqid,
        Nfs4StateId openStateId, uint lockSeqid, ulong clientId, byte[] lockOwner)
    {
        var w = Op(Nfs4Op.Lock).WriteUInt32((uint)type).WriteBool(reclaim).WriteUInt64(offset).WriteUInt64(length).WriteBool(true).WriteUInt32(openSeqid);
        openStateId.Write(w);
        w.WriteUInt32(lockSeqid).WriteUInt64(clientId).WriteOpaque(lockOwner);
        return this;
    }

    /// <summary>LOCK by a lock-owner the server knows (exist_lock_owner4).</summary>
    public Nfs4Compound LockExistingOwner(LockType type, bool reclaim, ulong offset, ulong length,
        Nfs4StateId lockStateId, uint lockSeqid)
    {
        var w = Op(Nfs4Op.Lock).WriteUInt32((uint)type).WriteBool(reclaim).WriteUInt64(offset).WriteUInt64(length).WriteBool(false);
        lockStateId.Write(w);
        w.WriteUInt32(lockSeqid);
        return this;
    }

    public Nfs4Compound LockT(LockType type, ulong offset, ulong length, ulong clientId, byte[] lockOwner)
    {
        Op(Nfs4Op.LockT).WriteUInt32((uint)type).WriteUInt64(offset).WriteUInt64(length).WriteUInt64(clientId).WriteOpaque(lockOwner);
        return this;
    }

    public Nfs4Compound LockU(LockType type, uint seqid, Nfs4StateId lockStateId, ulong offset, ulong length)
    {
        var w = Op(Nfs4Op.LockU).WriteUInt32((uint)type).WriteUInt32(seqid);
        lockStateId.Write(w);
        w.WriteUInt64(offset).WriteUInt64(length);
        return this;
    }

    private XdrWriter OpenHead(uint seqid, ShareAccess access, ShareDeny deny, ulong clientId, byte[] owner) =>
        Op(Nfs4Op.Open).WriteUInt32(seqid).WriteUInt32((uint)access).WriteUInt32((uint)deny).WriteUInt64(clientId).WriteOpaque(owner);

    private XdrWriter Op(Nfs4Op op)
    {
        _opList.Add(op);
        return _ops.WriteUInt32((uint)op);
    }

    private static byte[] Verifier(byte[] verifier) => verifier.Length == 8
        ? verifier
        : throw new ArgumentException($"an NFSv4 verifier is 8 bytes, not {verifier.Length}", nameof(verifier));
}
