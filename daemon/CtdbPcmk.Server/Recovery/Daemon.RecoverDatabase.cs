// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Controls;
using CtdbPcmk.Server.Recovery;

namespace CtdbPcmk.Server;

public sealed partial class Daemon
{
    /// <summary>
    /// One database: frozen and in a transaction everywhere, records pulled from the sources
    /// (volatile: every trusted node; persistent/replicated: the trusted node with the highest
    /// sequence number), merged, and pushed to every node after a wipe.
    /// </summary>
    private async Task RecoverDatabaseAsync(RecoveryRun run, ulong tag, RecoveryDatabase db, List<uint> active,
        HashSet<uint> trusted, uint generation, uint dmaster)
    {
        var id = U32Bytes(db.Id);
        var transDb = new byte[TransDb.Size];
        new TransDb(db.Id, generation).Write(transDb);
        await AllOkAsync(run, active, ControlOpcode.DbFreeze, tag, id);
        await AllOkAsync(run, active, ControlOpcode.DbTransactionStart, tag, transDb);

        List<uint> sources;
        if (db.IsVolatile)
        {
            sources = active.Where(trusted.Contains).ToList();
        }
        else
        {
            var seqnumArg = new byte[8];
            BinaryPrimitives.WriteUInt32LittleEndian(seqnumArg, db.Id);
            var replies = await AllOkAsync(run, active, ControlOpcode.GetDbSeqnum, 0, seqnumArg);
            var seqnums = replies.Where(r => r.Value.Data is { Length: 8 })
                .ToDictionary(r => r.Key, r => BinaryPrimitives.ReadUInt64LittleEndian(r.Value.Data));
            uint? source = RecoverySources.SeqnumSource(seqnums, trusted);
            sources = source is null ? new List<uint>() : new List<uint> { source.Value };
        }

        var merger = new RecordMerger(db.IsVolatile, dmaster);
        bool bad = false;
        ulong pullSrvid = Srvid.Recovery | ++_recoverySrvidSeq;
        RegisterInternalHandler(pullSrvid, data =>
        {
            try
            {
                foreach (var rec in RecBuffer.Read(data))
                {
                    merger.Add(rec.Key, rec.Data);
                }
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
            DeregisterInternalHandler(pullSrvid);
        }
        if (bad)
        {
            throw new RecoveryAbortedException($"malformed records pulled for {db.Name}");
        }

        var buffers = merger.ToBuffers(db.Id, (int)Math.Max(64 * 1024u, Tunable("RecBufferSizeLimit")));
        uint expected = 0;
        foreach (var b in buffers)
        {
            expected += BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(4));
        }
        await AllOkAsync(run, active, ControlOpcode.WipeDatabase, tag, transDb);
        ulong pushSrvid = Srvid.Recovery | ++_recoverySrvidSeq;
        var push = new byte[PullDbExt.Size];
        new PullDbExt(db.Id, 0, pushSrvid).Write(push);
        await AllOkAsync(run, active, ControlOpcode.DbPushStart, tag, push);
        foreach (uint pnn in active)
        {
            foreach (var b in buffers)
            {
                SendMessage(pnn, pushSrvid, b);
            }
        }
        var confirms = await AllOkAsync(run, active, ControlOpcode.DbPushConfirm, tag, id);
        foreach (var (pnn, reply) in confirms)
        {
            uint got = reply.Data is { Length: 4 } ? BinaryPrimitives.ReadUInt32LittleEndian(reply.Data) : uint.MaxValue;
            if (got != expected)
            {
                throw new RecoveryAbortedException($"node {pnn} stored {got} of {expected} records of {db.Name}");
            }
        }
        await AllOkAsync(run, active, ControlOpcode.DbTransactionCommit, tag, transDb);
        await AllOkAsync(run, active, ControlOpcode.DbThaw, tag, id);
    }

    /// <summary>Sends a control to one node and completes with its reply (on the loop thread).</summary>
    private Task<ControlReply> NodeControlAsync(uint pnn, ControlOpcode opcode, ulong srvid, byte[] data)
    {
        var done = new TaskCompletionSource<ControlReply>();
        SendNodeControl(pnn, opcode, srvid, data, r => done.TrySetResult(r), TimeSpan.FromSeconds(Math.Max(1u, Tunable("RecoverTimeout"))));
        return done.Task;
    }

    /// <summary>Sends a control to every node at once and collects the replies.</summary>
    private async Task<Dictionary<uint, ControlReply>> AllNodesAsync(IEnumerable<uint> nodes, ControlOpcode opcode, ulong srvid, byte[] data)
    {
        var pending = nodes.Select(pnn => (pnn, NodeControlAsync(pnn, opcode, srvid, data))).ToList();
        var replies = new Dictionary<uint, ControlReply>();
        foreach (var (pnn, task) in pending)
        {
            replies[pnn] = await task;
        }
        return replies;
    }

    /// <summary>As <see cref="AllNodesAsync"/>; any failure abandons the recovery.</summary>
    private async Task<Dictionary<uint, ControlReply>> AllOkAsync(RecoveryRun run, IEnumerable<uint> nodes, ControlOpcode opcode, ulong srvid, byte[] data)
    {
        Check(run);
        var replies = await AllNodesAsync(nodes, opcode, srvid, data);
        Check(run);
        foreach (var (pnn, reply) in replies)
        {
            if (reply.Status != 0)
            {
                throw new RecoveryAbortedException($"{opcode} failed on node {pnn}: {reply.Error ?? reply.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            }
        }
        return replies;
    }

    private static byte[] U32Bytes(uint value)
    {
        var data = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(data, value);
        return data;
    }
}
