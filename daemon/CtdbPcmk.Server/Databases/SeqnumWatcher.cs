// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Cluster;
using CtdbPcmk.Server.Controls;
using CtdbPcmk.Transport;

namespace CtdbPcmk.Server.Databases;

/// <summary>
/// TDB seqnum propagation. smbd keys its caches (brlock, registry) on a database's TDB seqnum,
/// so a change on one node must move the seqnum on every node: after ENABLE_SEQNUM this node
/// looks every SeqnumInterval ms and, when its seqnum moved, sends UPDATE_SEQNUM to the other
/// active nodes, which bump theirs.
/// </summary>
internal sealed class SeqnumWatcher(ClusterState cluster, DatabaseRegistry databases, NodeLinks links,
    TunableSettings tunables, EventLoop loop)
{
    private static readonly byte[] s_seqnumKey = "__db_sequence_number__\0"u8.ToArray();

    /// <summary>Seqnum last seen (or set by a peer's update) per watched database.</summary>
    private readonly Dictionary<uint, int> _seqnums = new();

    /// <summary>ENABLE_SEQNUM.</summary>
    public ControlReply Enable(CtdbDatabase db)
    {
        if (!db.SeqnumEnabled)
        {
            db.File.EnableSeqnum();
            db.SeqnumEnabled = true;
            if (_seqnums.TryAdd(db.Id, db.File.Seqnum))
            {
                ScheduleCheck(db);
            }
        }
        return ControlReply.Ok;
    }

    private void ScheduleCheck(CtdbDatabase db) =>
        loop.AddTimer(TimeSpan.FromMilliseconds(Math.Max(1, tunables.Get("SeqnumInterval"))), () => Check(db));

    private void Check(CtdbDatabase db)
    {
        if (cluster.RunState == RunState.Shutdown || !databases.TryGet(db.Id, out var current) || !ReferenceEquals(current, db))
        {
            _seqnums.Remove(db.Id);
            return;
        }
        int seqnum = db.File.Seqnum;
        if (seqnum != _seqnums[db.Id])
        {
            _seqnums[db.Id] = seqnum;
            Broadcast(db.Id);
        }
        ScheduleCheck(db);
    }

    private void Broadcast(uint dbId)
    {
        Span<byte> data = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(data, dbId);
        foreach (uint pnn in cluster.BroadcastTargets(WireFormat.BroadcastActive))
        {
            if (pnn != cluster.Pnn)
            {
                links.SendControl(pnn, ControlOpcode.UpdateSeqnum, 0, data, static _ => { }, flags: ReqControl.FlagNoReply);
            }
        }
    }

    /// <summary>
    /// UPDATE_SEQNUM: another node's copy changed. This node's own updates are ignored (as
    /// ctdbd), and the bump is remembered so it is not announced back.
    /// </summary>
    public ControlReply Update(uint srcNode, CtdbDatabase db)
    {
        if (srcNode == cluster.Pnn)
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

    /// <summary>GET_DB_SEQNUM: the u64 in the value of __db_sequence_number__ (0 when absent).</summary>
    public static ControlReply DbSeqnum(CtdbDatabase db)
    {
        if (!db.File.TryFetch(s_seqnumKey, out var value) || value.Length < LtdbHeader.Size + 8)
        {
            return ControlData.U64(0);
        }
        return ControlData.U64(BinaryPrimitives.ReadUInt64LittleEndian(value.AsSpan(LtdbHeader.Size)));
    }
}
