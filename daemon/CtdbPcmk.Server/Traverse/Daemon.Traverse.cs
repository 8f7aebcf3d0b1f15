// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Clients;
using CtdbPcmk.Server.Controls;
using CtdbPcmk.Server.Databases;
using CtdbPcmk.Server.Traverse;

namespace CtdbPcmk.Server;

public sealed partial class Daemon
{
    /// <summary>
    /// TRAVERSE_START(_EXT): answers 0, then streams every record as a message to the client's
    /// srvid (one rec_data each, the client's reqid in it) and ends with an empty rec_data.
    /// </summary>
    private ControlReply TraverseStart(ClientConnection? client, ReadOnlySpan<byte> data, bool extended)
    {
        if (client is null)
        {
            return ControlReply.Fail;
        }
        uint dbId, reqId;
        ulong srvid;
        bool withEmpty;
        if (extended)
        {
            var t = TraverseStartExt.Read(data);
            (dbId, reqId, srvid, withEmpty) = (t.DbId, t.ReqId, t.Srvid, t.WithEmptyRecords);
        }
        else
        {
            var t = Protocol.TraverseStart.Read(data);
            (dbId, reqId, srvid, withEmpty) = (t.DbId, t.ReqId, t.Srvid, false);
        }
        if (!_databases.TryGet(dbId, out var db))
        {
            return ControlReply.Failed($"Unknown db 0x{dbId:x8}");
        }
        var traverse = new LocalTraverse(dbId, reqId, srvid, withEmpty);
        client.Traverses.Add(traverse);
        // The reply goes out before the first record, as the client expects.
        _loop.Post(() => RunTraverse(client, db, traverse));
        return ControlReply.Ok;
    }

    private void RunTraverse(ClientConnection client, CtdbDatabase db, LocalTraverse traverse)
    {
        uint pnn = _cluster.Pnn;
        var buffer = new byte[4096];
        db.File.TraverseRead((key, value) =>
        {
            if (traverse.Cancelled || client.IsClosed)
            {
                return false;
            }
            if (!LtdbHeader.TryRead(value, out var header))
            {
                return true;
            }
            if (db.IsVolatile)
            {
                // Only the dmaster's copy is current; empty records are deletions.
                if (header.Dmaster != pnn || (value.Length == LtdbHeader.Size && !traverse.WithEmptyRecords))
                {
                    return true;
                }
            }
            int size = RecData.GetEncodedSize(key.Length, value.Length);
            if (buffer.Length < size)
            {
                buffer = new byte[size * 2];
            }
            RecData.Write(buffer, traverse.ReqId, key, value);
            DeliverLocal(traverse.Srvid, buffer.AsSpan(0, size));
            return true;
        });
        if (!traverse.Cancelled && !client.IsClosed)
        {
            Span<byte> end = stackalloc byte[RecData.HeadSize];
            RecData.WriteEndMarker(end, traverse.ReqId);
            DeliverLocal(traverse.Srvid, end);
        }
        client.Traverses.Remove(traverse);
    }
}
