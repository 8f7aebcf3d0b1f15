// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Diagnostics;
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Controls;
using CtdbPcmk.Server.Messaging;

namespace CtdbPcmk.Server.Recovery;

/// <summary>
/// The leader's recovery of one database: frozen and in a transaction everywhere, records
/// pulled from the sources (volatile: every trusted node; persistent/replicated: the trusted
/// node with the highest sequence number), merged, and pushed to every node after a wipe.
/// </summary>
/// <param name="check">Throws when the run no longer counts (called around every step).</param>
internal sealed class DatabaseRecovery(RecoveryControls controls, MessageRouter messages, TunableSettings tunables,
    Action<RecoveryRun> check, Serilog.ILogger log)
{
    private uint _srvidSeq;

    private async Task<Dictionary<uint, ControlReply>> AllOkAsync(RecoveryRun run, IEnumerable<uint> nodes, ControlOpcode opcode, ulong srvid, byte[] data)
    {
        check(run);
        var replies = await controls.AllOkAsync(nodes, opcode, srvid, data);
        check(run);
        return replies;
    }

    public async Task RecoverAsync(RecoveryRun run, ulong tag, RecoveryDatabase db, List<uint> active,
        HashSet<uint> trusted, uint generation, uint dmaster)
    {
        long start = Stopwatch.GetTimestamp();
        var pausedBefore = GC.GetTotalPauseDuration();
        int gen2Before = GC.CollectionCount(2);
        var id = ControlData.U32Bytes(db.Id);
        var transDb = new byte[TransDb.Size];
        new TransDb(db.Id, generation).Write(transDb);
        await AllOkAsync(run, active, ControlOpcode.DbFreeze, tag, id);
        await AllOkAsync(run, active, ControlOpcode.DbTransactionStart, tag, transDb);

        var sources = await SourcesAsync(run, db, active, trusted);
        var merger = await PullAsync(run, tag, db, sources, dmaster);
        var pulled = Stopwatch.GetElapsedTime(start);

        var records = merger.Push(db.Id, (int)Math.Max(64 * 1024u, tunables.Get("RecBufferSizeLimit")));
        uint expected = records.Records;
        var packed = Stopwatch.GetElapsedTime(start);
        await AllOkAsync(run, active, ControlOpcode.WipeDatabase, tag, transDb);
        ulong pushSrvid = Srvid.Recovery | ++_srvidSeq;
        var push = new byte[PullDbExt.Size];
        new PullDbExt(db.Id, 0, pushSrvid).Write(push);
        await AllOkAsync(run, active, ControlOpcode.DbPushStart, tag, push);
        // The other nodes' records go first, a window at a time; this node stores its own a few
        // buffers per turn of the loop, so that the others receive and store theirs meanwhile.
        var fanout = new PushFanout(records, active.Count);
        var sends = new List<Task>();
        for (int slot = 0; slot < active.Count; slot++)
        {
            uint pnn = active[slot];
            int node = slot;
            sends.Add(controls.IsSelf(pnn)
                ? controls.InTurns(records.Count, 8, _ => messages.Send(pnn, pushSrvid, fanout.Next(node)))
                : controls.Paced(pnn, records.Count, _ => messages.Send(pnn, pushSrvid, fanout.Next(node))));
        }
        await Task.WhenAll(sends);
        var confirms = await AllOkAsync(run, active, ControlOpcode.DbPushConfirm, tag, id);
        foreach (var (pnn, reply) in confirms)
        {
            uint got = reply.Data is { Length: 4 } ? BinaryPrimitives.ReadUInt32LittleEndian(reply.Data) : uint.MaxValue;
            if (got != expected)
            {
                throw new RecoveryAbortedException($"node {pnn} stored {got} of {expected} records of {db.Name}", pnn);
            }
        }
        var pushed = Stopwatch.GetElapsedTime(start);
        await AllOkAsync(run, active, ControlOpcode.DbTransactionCommit, tag, transDb);
        await AllOkAsync(run, active, ControlOpcode.DbThaw, tag, id);
        var done = Stopwatch.GetElapsedTime(start);
        if (done.TotalMilliseconds >= 100)
        {
            log.Information("Recovered {Db}: {Records} records from {Sources} node(s) to {Nodes}; freeze and pull {Pull:F0} ms, plan {Pack:F0} ms, push {Push:F0} ms, commit and thaw {Commit:F0} ms; garbage collection paused {Paused:F0} ms ({Full} full)",
                db.Name, expected, sources.Count, active.Count, pulled.TotalMilliseconds, (packed - pulled).TotalMilliseconds,
                (pushed - packed).TotalMilliseconds, (done - pushed).TotalMilliseconds,
                (GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds, GC.CollectionCount(2) - gen2Before);
        }
    }

    private async Task<List<uint>> SourcesAsync(RecoveryRun run, RecoveryDatabase db, List<uint> active, HashSet<uint> trusted)
    {
        if (db.IsVolatile)
        {
            return active.Where(trusted.Contains).ToList();
        }
        var seqnumArg = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(seqnumArg, db.Id);
        var replies = await AllOkAsync(run, active, ControlOpcode.GetDbSeqnum, 0, seqnumArg);
        var seqnums = replies.Where(r => r.Value.Data is { Length: 8 })
            .ToDictionary(r => r.Key, r => BinaryPrimitives.ReadUInt64LittleEndian(r.Value.Data));
        uint? source = RecoverySources.SeqnumSource(seqnums, trusted);
        return source is null ? new List<uint>() : new List<uint> { source.Value };
    }

    private async Task<RecordMerger> PullAsync(RecoveryRun run, ulong tag, RecoveryDatabase db, List<uint> sources, uint dmaster)
    {
        var merger = new RecordMerger(db.IsVolatile, dmaster);
        bool bad = false;
        ulong pullSrvid = Srvid.Recovery | ++_srvidSeq;
        messages.RegisterInternal(pullSrvid, data =>
        {
            try
            {
                merger.AddBuffer(data);
            }
            catch (ProtocolException)
            {
                bad = true;
            }
        });
        try
        {
            var pull = new byte[PullDbExt.Size];
            new PullDbExt(db.Id, WireFormat.UnknownPnn, pullSrvid).Write(pull);
            await AllOkAsync(run, sources, ControlOpcode.DbPull, tag, pull);
        }
        finally
        {
            messages.DeregisterInternal(pullSrvid);
        }
        if (bad)
        {
            throw new RecoveryAbortedException($"malformed records pulled for {db.Name}");
        }
        return merger;
    }
}
