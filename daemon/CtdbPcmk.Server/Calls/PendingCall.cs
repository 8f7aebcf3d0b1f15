// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server.Calls;

/// <summary>
/// A client REQ_CALL that could not be answered at once: its chain was locked, recovery was
/// running, it waits for the record to migrate here (then <see cref="NodeReqId"/> names the
/// node REQ_CALL in flight), or it is parked behind another call for the same key. A call of
/// the daemon's own (a vacuum migration) has no client but <see cref="Migrated"/>.
/// </summary>
internal sealed class PendingCall
{
    public PendingCall(Clients.ClientConnection? client, uint reqId, uint dbId, byte[] key, uint callId, uint flags)
    {
        Client = client;
        ReqId = reqId;
        DbId = dbId;
        Key = key;
        CallId = callId;
        Flags = flags;
    }

    /// <summary>The client that asked (null for the daemon's own calls).</summary>
    public Clients.ClientConnection? Client { get; }

    /// <summary>For the daemon's own calls: told true once the record is mastered here, false when the call failed.</summary>
    public Action<bool>? Migrated { get; init; }

    /// <summary>Nobody waits for the outcome any more (its client has gone).</summary>
    public bool Abandoned => Client is { IsClosed: true };
    /// <summary>The client's reqid, echoed in its REPLY_CALL.</summary>
    public uint ReqId { get; }
    public uint DbId { get; }
    public byte[] Key { get; }
    public uint CallId { get; }
    public uint Flags { get; }
    public int Attempts { get; set; }

    /// <summary>When the call began waiting for its locked chain (loop timestamp; 0 when it is not waiting for a lock).</summary>
    public long LockWaitStarted { get; set; }
    public long Started { get; set; }

    /// <summary>The node REQ_CALL in flight asks the dmaster for a read-only copy (FETCH_WITH_HEADER, WANT_READONLY).</summary>
    public bool ReadonlyFetch { get; set; }

    /// <summary>Reqid of the node REQ_CALL in flight for this call (0 when none).</summary>
    public uint NodeReqId { get; set; }

    /// <summary>Generation the node REQ_CALL was sent in.</summary>
    public uint Generation { get; set; }

    /// <summary>Client calls for the same key that wait for this one's migration (FetchCollapse).</summary>
    public List<PendingCall>? Parked { get; set; }

    /// <summary>Parks another call (and whatever was parked on it) behind this one, keeping their order.</summary>
    public void Park(PendingCall other)
    {
        var parked = Parked ??= new List<PendingCall>();
        parked.Add(other);
        if (other.Parked is { } nested)
        {
            parked.AddRange(nested);
            other.Parked = null;
        }
    }
}
