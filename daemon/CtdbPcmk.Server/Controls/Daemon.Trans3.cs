// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Clients;
using CtdbPcmk.Server.Controls;
using CtdbPcmk.Server.Databases;
using CtdbPcmk.Server.Recovery;
using CtdbPcmk.Tdb;

namespace CtdbPcmk.Server;

public sealed partial class Daemon
{
    /// <summary>Commits waiting for other nodes, by database (one at a time per database, as ctdbd).</summary>
    private readonly Dictionary<uint, PendingCommit> _commits = new();

    /// <summary>
    /// TRANS3_COMMIT: a client's persistent transaction (records with their new headers and
    /// the new __db_sequence_number__) sent as UPDATE_RECORD to every active node of the vnn
    /// map, this one included; the client is answered once all have applied it. A node that
    /// fails starts a recovery, which completes the commit and answers status 2; no answer in
    /// ControlTimeout gives status 1.
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
        if (_commits.ContainsKey(db.Id) || _commits.Values.Any(p => p.ClientId == client.Id))
        {
            return ControlReply.Failed("another commit is in progress");
        }
        var targets = _cluster.VnnMap.Map.Where(_cluster.IsActive).ToList();
        if (!targets.Contains(_cluster.Pnn))
        {
            targets.Add(_cluster.Pnn);
        }
        var commit = new PendingCommit(CurrentOrigin, db.Id, client.Id, targets.Count);
        _commits[db.Id] = commit;
        commit.Timeout = _loop.AddTimer(TimeSpan.FromSeconds(Math.Max(1u, Tunable("ControlTimeout"))),
            () => AnswerCommit(commit, ControlReply.Failed("timeout in ctdb_persistent_state", 1)));
        var data = c.Data.ToArray();
        foreach (uint pnn in targets)
        {
            SendNodeControl(pnn, ControlOpcode.UpdateRecord, 0, data, reply => OnCommitReply(commit, pnn, reply),
                TimeSpan.FromSeconds(Math.Max(1u, Tunable("ControlTimeout")) + 1), clientId: client.Id);
        }
        return ControlReply.Deferred;
    }

    private void OnCommitReply(PendingCommit commit, uint pnn, ControlReply reply)
    {
        commit.Waiting--;
        if (reply.Status != 0 && !commit.Failed)
        {
            _log.Warning("UPDATE_RECORD of a commit to db 0x{Db:x8} failed on node {Pnn} ({Status} {Error}): recovery", commit.DbId, pnn, reply.Status, reply.Error);
            commit.Failed = true;
            if (_cluster.RecoveryMode != RecoveryMode.Active)
            {
                _cluster.RecoveryMode = RecoveryMode.Active;
            }
            AskLeaderToRecover();
        }
        if (commit.Waiting == 0 && !commit.Failed)
        {
            AnswerCommit(commit, ControlReply.Ok);
        }
    }

    private void AnswerCommit(PendingCommit commit, ControlReply reply)
    {
        if (commit.Answered)
        {
            return;
        }
        commit.Answered = true;
        commit.Timeout?.Cancel();
        if (_commits.TryGetValue(commit.DbId, out var current) && ReferenceEquals(current, commit))
        {
            _commits.Remove(commit.DbId);
        }
        CompleteControl(commit.Origin, reply);
    }

    /// <summary>END_RECOVERY: commits interrupted by a failure were completed by the recovery (status 2).</summary>
    private void FinishCommitsAfterRecovery()
    {
        foreach (var commit in _commits.Values.Where(c => c.Failed).ToArray())
        {
            AnswerCommit(commit, ControlReply.Failed("trans3 commit ended by recovery", 2));
        }
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
