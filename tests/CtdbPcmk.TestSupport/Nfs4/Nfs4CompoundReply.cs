// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.TestSupport.Nfs4;

/// <summary>
/// COMPOUND4res: the status of the last operation evaluated, the tag, and one result per
/// operation evaluated (the server stops at the first failure). Pure decode.
/// </summary>
public sealed record Nfs4CompoundReply(Nfs4Status Status, string Tag, IReadOnlyList<Nfs4OpResult> Results)
{
    /// <summary>The result of the last operation evaluated (the one that failed, if any).</summary>
    public Nfs4OpResult? Last => Results.Count > 0 ? Results[^1] : null;

    /// <summary>The name of the operation that set <see cref="Status"/>.</summary>
    public string FailedOp => Last?.Op.ToString() ?? "COMPOUND";

    /// <summary>The first result of type <typeparamref name="T"/>, or null.</summary>
    public T? Find<T>() where T : Nfs4OpResult => Results.OfType<T>().FirstOrDefault();

    /// <summary>The first result for <paramref name="op"/>, or null when it was not evaluated.</summary>
    public Nfs4OpResult? Find(Nfs4Op op) => Results.FirstOrDefault(r => r.Op == op);

    public static Nfs4CompoundReply Decode(XdrReader r)
    {
        var status = (Nfs4Status)r.ReadUInt32();
        string tag = r.ReadString();
        uint count = r.ReadUInt32();
        var results = new List<Nfs4OpResult>();
        for (uint i = 0; i < count; i++)
        {
            results.Add(DecodeOp(r));
        }
        return new Nfs4CompoundReply(status, tag, results);
    }

    private static Nfs4OpResult DecodeOp(XdrReader r)
    {
        var op = (Nfs4Op)r.ReadUInt32();
        var status = (Nfs4Status)r.ReadUInt32();
        bool ok = status == Nfs4Status.NFS4_OK;
        switch (op)
        {
            case Nfs4Op.GetFh when ok:
                return new GetFhResult(status, r.ReadOpaque(128));
            case Nfs4Op.GetAttr when ok:
                return DecodeGetAttr(r, status);
            case Nfs4Op.SetClientId when ok:
                return new SetClientIdResult(status, r.ReadUInt64(), r.ReadFixedOpaque(8));
            case Nfs4Op.SetClientId when status == Nfs4Status.NFS4ERR_CLID_INUSE:
                r.ReadString(); // client_using: r_netid
                r.ReadString(); // r_addr
                return new Nfs4OpResult(op, status);
            case Nfs4Op.Open when ok:
                return DecodeOpen(r, status);
            case Nfs4Op.OpenConfirm or Nfs4Op.Close or Nfs4Op.Lock or Nfs4Op.LockU when ok:
                return new StateIdResult(op, status, Nfs4StateId.Read(r));
            case Nfs4Op.Lock or Nfs4Op.LockT when status == Nfs4Status.NFS4ERR_DENIED:
                return new LockDeniedResult(op, status, r.ReadUInt64(), r.ReadUInt64(), (LockType)r.ReadUInt32(), r.ReadUInt64(), r.ReadOpaque());
            case Nfs4Op.Read when ok:
                return new ReadResult(status, r.ReadBool(), r.ReadOpaque());
            case Nfs4Op.Write when ok:
                var write = new WriteResult(status, r.ReadUInt32(), (StableHow)r.ReadUInt32());
                r.ReadFixedOpaque(8); // writeverf
                return write;
            case Nfs4Op.Close or Nfs4Op.GetAttr or Nfs4Op.GetFh or Nfs4Op.Lock or Nfs4Op.LockT or Nfs4Op.LockU
                or Nfs4Op.Lookup or Nfs4Op.Open or Nfs4Op.OpenConfirm or Nfs4Op.PutFh or Nfs4Op.PutRootFh
                or Nfs4Op.Read or Nfs4Op.Renew or Nfs4Op.SetClientId or Nfs4Op.SetClientIdConfirm or Nfs4Op.Write
                or Nfs4Op.Illegal:
                return new Nfs4OpResult(op, status);
            default:
                throw new InvalidDataException($"COMPOUND reply holds operation {(uint)op}, which this client never sends");
        }
    }

    private static GetAttrResult DecodeGetAttr(XdrReader r, Nfs4Status status)
    {
        uint[] mask = r.ReadUInt32Array();
        var values = new XdrReader(r.ReadOpaque());
        bool onlySize = mask.Length > 0 && mask[0] == 1u << Nfs4Compound.AttrSize && mask.Skip(1).All(m => m == 0);
        return new GetAttrResult(status, onlySize ? values.ReadUInt64() : null);
    }

    private static OpenResult DecodeOpen(XdrReader r, Nfs4Status status)
    {
        var stateId = Nfs4StateId.Read(r);
        r.ReadBool(); // change_info4: atomic, before, after
        r.ReadUInt64();
        r.ReadUInt64();
        uint flags = r.ReadUInt32();
        r.ReadUInt32Array(); // attrset
        var delegation = (DelegationType)r.ReadUInt32();
        switch (delegation)
        {
            case DelegationType.None:
                break;
            case DelegationType.Read:
                Nfs4StateId.Read(r);
                r.ReadBool(); // recall
                SkipAce(r);
                break;
            case DelegationType.Write:
                Nfs4StateId.Read(r);
                r.ReadBool(); // recall
                if (r.ReadUInt32() == 1) // space_limit: NFS_LIMIT_SIZE filesize, else NFS_LIMIT_BLOCKS
                {
                    r.ReadUInt64();
                }
                else
                {
                    r.ReadUInt32();
                    r.ReadUInt32();
                }
                SkipAce(r);
                break;
            default:
                throw new InvalidDataException($"OPEN delegation type {(uint)delegation}");
        }
        return new OpenResult(status, stateId, flags, delegation);
    }

    // nfsace4: type, flag, access_mask, who
    private static void SkipAce(XdrReader r)
    {
        r.ReadUInt32();
        r.ReadUInt32();
        r.ReadUInt32();
        r.ReadOpaque();
    }
}
