// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server.Calls;

/// <summary>A client REQ_CALL that could not run at once (its chain was locked by smbd).</summary>
internal sealed class PendingCall
{
    public PendingCall(Clients.ClientConnection client, uint reqId, uint dbId, byte[] key, uint callId, uint flags)
    {
        Client = client;
        ReqId = reqId;
        DbId = dbId;
        Key = key;
        CallId = callId;
        Flags = flags;
    }

    public Clients.ClientConnection Client { get; }
    public uint ReqId { get; }
    public uint DbId { get; }
    public byte[] Key { get; }
    public uint CallId { get; }
    public uint Flags { get; }
    public int Attempts { get; set; }
    public long Started { get; set; }
}
