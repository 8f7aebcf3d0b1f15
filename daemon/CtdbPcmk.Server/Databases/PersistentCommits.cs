// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Cluster;
using CtdbPcmk.Server.Controls;
using CtdbPcmk.Server.Recovery;
using CtdbPcmk.Tdb;
using CtdbPcmk.Transport;

namespace CtdbPcmk.Server.Databases;

/// <summary>
/// Writes to persistent and replicated databases: a client's TRANS3_COMMIT sent as
/// UPDATE_RECORD to every node of the generation, and UPDATE_RECORD applied here in one transaction.
/// </summary>
internal sealed class PersistentCommits(ClusterState cluster, DatabaseRegistry databases, NodeLinks links,
    TunableSettings tunables, ControlReplies replies, RecordWriter writer, RecoveryMaster recovery, EventLoop loop,
    Serilog.ILogger log)
{
    /// <summary>Commits waiting for other nodes, by database (one at a time per database, as ctdbd).</summary>
    private readonly Dictionary<uint, PendingCommit> _commits = new();

    /// <summary>
    /// TRANS3_COMMIT: a client's persistent transaction (records with their new headers and
    /// the new __db_sequence_number__) sent as UPDATE_RECORD to every node of the vnn map, this
    /// one included; the client is answered once all have applied it. A node that
    /// fails, or no answer from every node in ControlTimeout, starts a recovery, which settles
    /// the commit on every node (there or nowhere) and answers status 2.
    /// </summary>
    public ControlReply Trans3Commit(ControlOrigin origin, ReqControl c)
    {
        if (origin.Client is not { } client || cluster.RecoveryMode == RecoveryMode.Active)
        {
            return ControlReply.Fail;
        }
        var buffer = RecBuffer.Read(c.Data);
        if (!databases.TryGet(buffer.DbId, out var db) || db.IsVolatile)
        {
            return ControlReply.Failed($"TRANS3_COMMIT for unknown or volatile db 0x{buffer.DbId:x8}");
        }
        if (_commits.ContainsKey(db.Id) || _commits.Values.Any(p => p.ClientId == client.Id))
        {
            return ControlReply.Failed("another commit is in progress");
        }
        // Every node of the generation, reachable or not: a node left out here would stay in the
        // generation, trusted by the next recovery, without this commit (and could become that
        // recovery's source). One this node cannot reach fails the commit into a recovery.
        var targets = cluster.VnnMap.Map.Distinct().ToList();
        if (!targets.Contains(cluster.Pnn))
        {
            targets.Add(cluster.Pnn);
        }
        var commit = new PendingCommit(origin, db.Id, client.Id, client.Pid, targets.Count);
        _commits[db.Id] = commit;
        var timeout = TimeSpan.FromSeconds(Math.Max(1u, tunables.Get("ControlTimeout")));
        commit.Timeout = loop.AddTimer(timeout, () => Unsettled(commit, $"no answer from every node in {timeout.TotalSeconds:F0} s"));
        var data = c.Data.ToArray();
        foreach (uint pnn in targets)
        {
            links.SendControl(pnn, ControlOpcode.UpdateRecord, 0, data, reply => OnReply(commit, pnn, reply),
                timeout + TimeSpan.FromSeconds(1), clientId: client.Id);
        }
        return ControlReply.Deferred;
    }

    private void OnReply(PendingCommit commit, uint pnn, ControlReply reply)
    {
        commit.Waiting--;
        if (reply.Status != 0)
        {
            Unsettled(commit, $"UPDATE_RECORD failed on node {pnn} ({reply.Status} {reply.Error})");
        }
        if (commit.Waiting == 0 && !commit.Failed)
        {
            Answer(commit, ControlReply.Ok);
        }
    }

    /// <summary>
    /// Some nodes may hold the commit and others not: a recovery makes them agree (the copy with
    /// the highest sequence number wins everywhere), and only then is the client answered, so no
    /// later transaction can read a state the recovery may still change.
    /// </summary>
    private void Unsettled(PendingCommit commit, string why)
    {
        if (commit.Failed || commit.Answered)
        {
            return;
        }
        log.Warning("Commit to db 0x{Db:x8} of client pid {Pid}: {Why}; recovery", commit.DbId, commit.ClientPid, why);
        commit.Failed = true;
        commit.Timeout?.Cancel();
        cluster.SetRecoveryMode(RecoveryMode.Active);
        recovery.AskLeader();
    }

    /// <summary>
    /// True while a commit of process <paramref name="pid"/> is not settled: that process still
    /// counts as alive for PROCESS_EXISTS even after it disconnected, so the g_lock it holds is
    /// not taken over (and the database read) before every node agrees on the commit.
    /// </summary>
    public bool HasUnsettled(int pid)
    {
        foreach (var commit in _commits.Values)
        {
            if (commit.ClientPid == pid && !commit.Answered)
            {
                return true;
            }
        }
        return false;
    }

    private void Answer(PendingCommit commit, ControlReply reply)
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
        replies.Complete(commit.Origin, reply);
    }

    /// <summary>END_RECOVERY: commits interrupted by a failure were completed by the recovery (status 2).</summary>
    public void FinishAfterRecovery()
    {
        foreach (var commit in _commits.Values.Where(c => c.Failed).ToArray())
        {
            Answer(commit, ControlReply.Failed("trans3 commit ended by recovery", 2));
        }
    }

    /// <summary>UPDATE_RECORD: apply a marshall buffer in one TDB transaction.</summary>
    public ControlReply UpdateRecord(ReadOnlySpan<byte> data)
    {
        if (cluster.RecoveryMode == RecoveryMode.Active)
        {
            return ControlReply.Fail;
        }
        var buffer = RecBuffer.Read(data);
        if (!databases.TryGet(buffer.DbId, out var db))
        {
            return ControlReply.Failed($"Unknown db 0x{buffer.DbId:x8}");
        }
        return new ControlReply(Apply(db, buffer) ? 0 : -1);
    }

    /// <summary>
    /// Writes every record of the buffer in one transaction. A record whose stored rsn is not
    /// older than the new one fails the whole update unless its data is identical. On volatile
    /// databases only records that exist are replaced.
    /// </summary>
    private bool Apply(CtdbDatabase db, RecBuffer buffer)
    {
        var file = db.File;
        try
        {
            file.TransactionStart();
        }
        catch (TdbException e)
        {
            log.Error("UPDATE_RECORD on {Db}: cannot start a transaction: {Error}", db.Name, e.Message);
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
                        log.Error("UPDATE_RECORD on {Db}: stored rsn {Old} is not older than {New}", db.Name, oldHeader.Rsn, header.Rsn);
                        file.TransactionCancel();
                        return false;
                    }
                }
                writer.Store(db, rec.Key, header, value);
            }
        }
        catch (TdbException e)
        {
            log.Error("UPDATE_RECORD on {Db}: {Error}", db.Name, e.Message);
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
            log.Error("UPDATE_RECORD on {Db}: commit failed: {Error}", db.Name, e.Message);
            return false;
        }
    }
}
