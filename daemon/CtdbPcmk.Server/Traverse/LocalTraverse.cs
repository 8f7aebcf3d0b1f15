// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server.Traverse;

/// <summary>A traverse a client started; streamed records stop once it is cancelled.</summary>
internal sealed class LocalTraverse
{
    public LocalTraverse(uint dbId, uint reqId, ulong srvid, bool withEmptyRecords)
    {
        DbId = dbId;
        ReqId = reqId;
        Srvid = srvid;
        WithEmptyRecords = withEmptyRecords;
    }

    public uint DbId { get; }
    public uint ReqId { get; }
    public ulong Srvid { get; }
    public bool WithEmptyRecords { get; }
    public bool Cancelled { get; private set; }

    public void Cancel() => Cancelled = true;
}
