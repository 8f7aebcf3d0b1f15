// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Clients;
using CtdbPcmk.Server.Controls;
using CtdbPcmk.Server.Databases;
using CtdbPcmk.Tdb;

namespace CtdbPcmk.Server;

public sealed partial class Daemon
{
    /// <summary>
    /// TRANS3_COMMIT: a client's persistent transaction (records with their new headers and
    /// the new __db_sequence_number__) applied on every active node, this one included.
    /// </summary>
    private ControlReply Trans3Commit(ClientConnection? client, ReqControl c)
    {
        if (client is null || _cluster.RecoveryMode == RecoveryMode.Active)
        {
            return ControlReply.Fail;
        }
        var buffer = RecBuffer.Read(c.Data);
        if (!_databases.TryGet(buffer.DbId, out var db) || db.IsVolatile)
        {
            return ControlReply.Failed($"TRANS3_COMMIT for unknown or volatile db 0x{buffer.DbId:x8}");
        }
        // Every active node applies the commit; this node is the only one.
        return new ControlReply(ApplyUpdate(db, buffer) ? 0 : -1);
    }

    /// <summary>UPDATE_RECORD: apply a marshall buffer in one TDB transaction.</summary>
    private ControlReply UpdateRecordControl(ReadOnlySpan<byte> data)
    {
        if (_cluster.RecoveryMode == RecoveryMode.Active)
        {
            return ControlReply.Fail;
        }
        var buffer = RecBuffer.Read(data);
        if (!_databases.TryGet(buffer.DbId, out var db))
        {
            return ControlReply.Failed($"Unknown db 0x{buffer.DbId:x8}");
        }
        return new ControlReply(ApplyUpdate(db, buffer) ? 0 : -1);
    }

    /// <summary>
    /// Writes every record of the buffer in one transaction. A record whose stored rsn is not
    /// older than the new one fails the whole update unless its data is identical. On volatile
    /// databases only records that exist are replaced.
    /// </summary>
    internal bool ApplyUpdate(CtdbDatabase db, RecBuffer buffer)
    {
        var file = db.File;
        try
        {
            file.TransactionStart();
        }
        catch (TdbException e)
        {
            _log.Error("UPDATE_RECORD on {Db}: cannot start a transaction: {Error}", db.Name, e.Message);
            return false;
        }
        try
        {
            byte[] old = new byte[256];
            foreach (var rec in buffer)
            {
                var header = rec.Header;
                var value = rec.Value;
                int oldLen = file.FetchInto(rec.Key, ref old);
                if (db.IsVolatile && oldLen < 0)
                {
                    continue;
                }
                if (oldLen >= LtdbHeader.Size)
                {
                    var oldHeader = LtdbHeader.Read(old);
                    var oldValue = old.AsSpan(LtdbHeader.Size, oldLen - LtdbHeader.Size);
                    if (oldHeader.Rsn >= header.Rsn && !oldValue.SequenceEqual(value))
                    {
                        _log.Error("UPDATE_RECORD on {Db}: stored rsn {Old} is not older than {New}", db.Name, oldHeader.Rsn, header.Rsn);
                        file.TransactionCancel();
                        return false;
                    }
                }
                StoreRecord(db, rec.Key, header, value);
            }
        }
        catch (TdbException e)
        {
            _log.Error("UPDATE_RECORD on {Db}: {Error}", db.Name, e.Message);
            file.TransactionCancel();
            return false;
        }
        try
        {
            file.TransactionCommit();
            return true;
        }
        catch (TdbException e)
        {
            _log.Error("UPDATE_RECORD on {Db}: commit failed: {Error}", db.Name, e.Message);
            return false;
        }
    }
}
