// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.TestSupport.Nfs4;

public sealed partial class Nfs4Client
{
    /// <summary>
    /// OPEN with CLAIM_NULL of <paramref name="path"/> (a pseudo path, "/share/dir/file"), created
    /// UNCHECKED when <paramref name="create"/>, then OPEN_CONFIRM when the server asks for it.
    /// </summary>
    public Nfs4Status TryOpen(string path, ShareAccess access, ShareDeny deny, bool create, out Nfs4OpenFile? file)
    {
        int slash = path.TrimEnd('/').LastIndexOf('/');
        string dir = path[..Math.Max(slash, 0)];
        string name = path[(slash + 1)..];
        byte[] owner = NewOwner("open");
        var compound = new Nfs4Compound("open").PutPath(dir)
            .Open(0, access, deny, ClientId, owner, name, create).GetFh();
        return FinishOpen(Call(compound), path, owner, access, out file);
    }

    public Nfs4OpenFile Open(string path, ShareAccess access = ShareAccess.Both, ShareDeny deny = ShareDeny.None,
        bool create = false)
    {
        var status = TryOpen(path, access, deny, create, out var file);
        Check(status, $"OPEN {path}");
        return file!;
    }

    /// <summary>
    /// OPEN with CLAIM_PREVIOUS (delegation type none): reclaims, during the server's grace
    /// period, an open this client (same id string) held before the server restarted.
    /// </summary>
    public Nfs4Status TryReclaimOpen(string path, ShareAccess access, ShareDeny deny, out Nfs4OpenFile? file)
    {
        byte[] owner = NewOwner("open");
        var compound = new Nfs4Compound("reclaim").PutPath(path).OpenPrevious(0, access, deny, ClientId, owner).GetFh();
        return FinishOpen(Call(compound), path, owner, access, out file);
    }

    public Nfs4OpenFile ReclaimOpen(string path, ShareAccess access = ShareAccess.Both, ShareDeny deny = ShareDeny.None)
    {
        var status = TryReclaimOpen(path, access, deny, out var file);
        Check(status, $"OPEN CLAIM_PREVIOUS {path}");
        return file!;
    }

    public Nfs4Status TryClose(Nfs4OpenFile file)
    {
        var reply = Call(new Nfs4Compound("close").PutFh(file.Handle).Close(file.OpenSeqid, file.StateId));
        AdvanceOpenSeqid(file, reply, Nfs4Op.Close);
        return reply.Status;
    }

    public void Close(Nfs4OpenFile file) => Check(TryClose(file), $"CLOSE {file.Path}");

    public Nfs4Status TryWrite(Nfs4OpenFile file, ulong offset, ReadOnlySpan<byte> data, out uint written)
    {
        var reply = Call(new Nfs4Compound("write").PutFh(file.Handle).Write(CurrentStateId(file), offset, data));
        written = reply.Find<WriteResult>()?.Count ?? 0;
        return reply.Status;
    }

    /// <summary>WRITE with FILE_SYNC; throws unless the server wrote all of <paramref name="data"/>.</summary>
    public void Write(Nfs4OpenFile file, ulong offset, ReadOnlySpan<byte> data)
    {
        Check(TryWrite(file, offset, data, out uint written), $"WRITE {file.Path}");
        if (written != data.Length)
        {
            throw new Nfs4Exception($"WRITE {file.Path}: {written} of {data.Length} bytes written");
        }
    }

    public Nfs4Status TryRead(Nfs4OpenFile file, ulong offset, uint count, out ReadResult? result)
    {
        var reply = Call(new Nfs4Compound("read").PutFh(file.Handle).Read(CurrentStateId(file), offset, count));
        result = reply.Find<ReadResult>();
        return reply.Status;
    }

    /// <summary>Reads until <paramref name="count"/> bytes or the end of the file.</summary>
    public byte[] Read(Nfs4OpenFile file, ulong offset = 0, int count = 1 << 20)
    {
        var data = new List<byte>();
        while (data.Count < count)
        {
            Check(TryRead(file, offset + (ulong)data.Count, (uint)Math.Min(count - data.Count, 1 << 16), out var result),
                $"READ {file.Path}");
            data.AddRange(result!.Data);
            if (result.Eof || result.Data.Length == 0)
            {
                break;
            }
        }
        return [.. data];
    }

    /// <summary>The size attribute of <paramref name="path"/>.</summary>
    public ulong GetSize(string path)
    {
        var reply = Call(new Nfs4Compound("getattr").PutPath(path).GetAttrSize());
        Check(reply.Status, $"{reply.FailedOp} {path}");
        return reply.Find<GetAttrResult>()?.Size ?? throw new Nfs4Exception($"GETATTR {path}: no size returned");
    }

    private Nfs4Status FinishOpen(Nfs4CompoundReply reply, string path, byte[] owner, ShareAccess access,
        out Nfs4OpenFile? file)
    {
        file = null;
        if (reply.Status != Nfs4Status.NFS4_OK)
        {
            return reply.Status;
        }
        var open = reply.Find<OpenResult>()!;
        var handle = reply.Find<GetFhResult>()!.Handle;
        var opened = new Nfs4OpenFile(path, handle, owner, 1, open.StateId, access);
        if (open.NeedsConfirm)
        {
            var confirm = Call(new Nfs4Compound("open_confirm").PutFh(handle).OpenConfirm(open.StateId, opened.OpenSeqid));
            AdvanceOpenSeqid(opened, confirm, Nfs4Op.OpenConfirm);
            if (confirm.Status != Nfs4Status.NFS4_OK)
            {
                return confirm.Status;
            }
        }
        file = opened;
        return Nfs4Status.NFS4_OK;
    }

    /// <summary>Counts the seqid an open-owner operation used, and takes the stateid it returned.</summary>
    private static void AdvanceOpenSeqid(Nfs4OpenFile file, Nfs4CompoundReply reply, Nfs4Op op)
    {
        if (reply.Find(op) is not { } result)
        {
            return;
        }
        if (AdvancesSeqid(result.Status))
        {
            file.OpenSeqid++;
        }
        if (result is StateIdResult { Status: Nfs4Status.NFS4_OK } ok)
        {
            file.StateId = ok.StateId;
        }
    }

    // I/O under a byte-range lock must use the lock stateid (RFC 7530 section 9.1.4).
    private static Nfs4StateId CurrentStateId(Nfs4OpenFile file) => file.LockStateId ?? file.StateId;
}
