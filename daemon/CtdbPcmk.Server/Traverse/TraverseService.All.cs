// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Controls;
using CtdbPcmk.Server.Databases;

namespace CtdbPcmk.Server.Traverse;

/// <summary>
/// TRAVERSE_ALL(_EXT): this node's part of a cluster-wide traverse. Every record goes back to
/// the originating node as TRAVERSE_DATA (NOREPLY), then one end marker. The traverse runs to
/// completion within one loop turn, so there is never one in progress for TRAVERSE_KILL to stop.
/// </summary>
internal sealed partial class TraverseService
{
    private byte[] _traverseOut = new byte[4096];

    public ControlReply All(ReadOnlySpan<byte> data, bool extended)
    {
        var all = extended ? TraverseAllExt.Read(data) : ToExt(TraverseAll.Read(data));
        if (!databases.TryGet(all.DbId, out var db))
        {
            return ControlReply.Failed($"Unknown db 0x{all.DbId:x8}");
        }
        if (!cluster.IsValidNode(all.Pnn))
        {
            return ControlReply.Failed($"traverse for invalid node {all.Pnn}");
        }
        ForNode(db, all.ReqId, all.Pnn, all.WithEmptyRecords);
        return ControlReply.Ok;
    }

    private static TraverseAllExt ToExt(TraverseAll a) => new(a.DbId, a.ReqId, a.Pnn, a.ClientReqId, a.Srvid, false);

    /// <summary>
    /// Sends this node's records of <paramref name="db"/> to <paramref name="origin"/>: for a
    /// volatile database only those this node is dmaster of (other copies may be stale) and,
    /// unless asked for, no empty ones (deletions); for others everything.
    /// </summary>
    private void ForNode(CtdbDatabase db, uint handle, uint origin, bool withEmpty)
    {
        uint pnn = cluster.Pnn;
        bool volatileDb = db.IsVolatile;
        db.File.TraverseRead((key, value) =>
        {
            if (origin != pnn && !cluster.IsConnected(origin))
            {
                return false;
            }
            if (!LtdbHeader.TryRead(value, out var header))
            {
                return true;
            }
            if (volatileDb && (header.Dmaster != pnn || (value.Length == LtdbHeader.Size && !withEmpty)))
            {
                return true;
            }
            int size = RecData.GetEncodedSize(key.Length, value.Length);
            if (_traverseOut.Length < size)
            {
                _traverseOut = new byte[Math.Max(size, _traverseOut.Length * 2)];
            }
            RecData.Write(_traverseOut, handle, key, value);
            SendTraverseData(origin, _traverseOut.AsSpan(0, size));
            return true;
        });
        Span<byte> end = stackalloc byte[RecData.HeadSize];
        RecData.WriteEndMarker(end, handle);
        SendTraverseData(origin, end);
    }

    private void SendTraverseData(uint origin, ReadOnlySpan<byte> record)
    {
        if (origin == cluster.Pnn)
        {
            Data(record);
            return;
        }
        links.SendControl(origin, ControlOpcode.TraverseData, 0, record, static _ => { }, flags: ReqControl.FlagNoReply);
    }
}
