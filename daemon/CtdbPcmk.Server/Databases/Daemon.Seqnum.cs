// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Controls;
using CtdbPcmk.Server.Databases;

namespace CtdbPcmk.Server;

/// <summary>
/// TDB seqnum propagation. smbd keys its caches (brlock, registry) on a database's TDB seqnum,
/// so a change on one node must move the seqnum on every node: after ENABLE_SEQNUM this node
/// looks every SeqnumInterval ms and, when its seqnum moved, sends UPDATE_SEQNUM to the other
/// active nodes, which bump theirs.
/// </summary>
public sealed partial class Daemon
{
    /// <summary>Seqnum last seen (or set by a peer's update) per watched database.</summary>
    private readonly Dictionary<uint, int> _seqnums = new();

    private void WatchSeqnum(CtdbDatabase db)
    {
        if (_seqnums.TryAdd(db.Id, db.File.Seqnum))
        {
            ScheduleSeqnumCheck(db);
        }
    }

    private void ScheduleSeqnumCheck(CtdbDatabase db) =>
        _loop.AddTimer(TimeSpan.FromMilliseconds(Math.Max(1, Tunable("SeqnumInterval"))), () => CheckSeqnum(db));

    private void CheckSeqnum(CtdbDatabase db)
    {
        if (_cluster.RunState == RunState.Shutdown || !_databases.TryGet(db.Id, out var current) || !ReferenceEquals(current, db))
        {
            _seqnums.Remove(db.Id);
            return;
        }
        int seqnum = db.File.Seqnum;
        if (seqnum != _seqnums[db.Id])
        {
            _seqnums[db.Id] = seqnum;
            BroadcastUpdateSeqnum(db.Id);
        }
        ScheduleSeqnumCheck(db);
    }

    private void BroadcastUpdateSeqnum(uint dbId)
    {
        Span<byte> data = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(data, dbId);
        foreach (uint pnn in BroadcastTargets(WireFormat.BroadcastActive))
        {
            if (pnn != _cluster.Pnn)
            {
                SendNodeControl(pnn, ControlOpcode.UpdateSeqnum, 0, data, static _ => { }, flags: ReqControl.FlagNoReply);
            }
        }
    }

    /// <summary>
    /// UPDATE_SEQNUM: another node's copy changed. This node's own updates are ignored (as
    /// ctdbd), and the bump is remembered so it is not announced back.
    /// </summary>
    private ControlReply UpdateSeqnum(CtdbDatabase db)
    {
        if (CurrentOrigin.SrcNode == _cluster.Pnn)
        {
            return ControlReply.Ok;
        }
        db.File.IncrementSeqnumNonblock();
        if (_seqnums.ContainsKey(db.Id))
        {
            _seqnums[db.Id] = db.File.Seqnum;
        }
        return ControlReply.Ok;
    }

    /// <summary>The TDB seqnum of an attached database (loop thread).</summary>
    internal int TdbSeqnum(uint dbId) => _databases.TryGet(dbId, out var db) ? db.File.Seqnum : -1;
}
