// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.TestSupport.Nfs4;

public sealed partial class Nfs4Client
{
    /// <summary>
    /// SETCLIENTID then SETCLIENTID_CONFIRM. <paramref name="id"/> is the client's long-lived id
    /// string (a restarted server recognises a reclaiming client by it); <paramref name="verifier"/>
    /// (8 bytes) is its boot instance, all zeros when null.
    /// </summary>
    public Nfs4Status TrySetClientId(string id, byte[]? verifier = null)
    {
        var reply = Call(new Nfs4Compound("setclientid").SetClientId(verifier ?? new byte[8], id));
        if (reply.Find<SetClientIdResult>() is not { } set)
        {
            return reply.Status;
        }
        var confirm = Call(new Nfs4Compound("setclientid_confirm").SetClientIdConfirm(set.ClientId, set.Confirm));
        if (confirm.Status == Nfs4Status.NFS4_OK)
        {
            ClientId = set.ClientId;
            IdString = id;
        }
        return confirm.Status;
    }

    public void SetClientId(string id, byte[]? verifier = null) => Check(TrySetClientId(id, verifier), "SETCLIENTID");

    public Nfs4Status TryRenew() => Call(new Nfs4Compound("renew").Renew(ClientId)).Status;

    public void Renew() => Check(TryRenew(), "RENEW");
}
