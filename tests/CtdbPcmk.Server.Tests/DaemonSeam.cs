// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using System.Runtime.CompilerServices;
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Controls;

namespace CtdbPcmk.Server.Tests;

/// <summary>
/// What in-process tests do to a daemon beyond its sockets: run code on its loop, read and
/// write records, set the vnn map or recovery mode as a recovery would, and watch recovery.
/// Everything goes through the subsystems the daemon exposes to its tests; the product has
/// no test-only entry points. All but <see cref="PostToLoop"/> and <see cref="OnLoopAsync"/>
/// run on the loop thread.
/// </summary>
internal static class DaemonSeam
{
    private static readonly ConditionalWeakTable<Daemon, List<(uint Generation, uint Leader, uint Term)>> s_vnnMaps = new();

    /// <summary>Runs <paramref name="action"/> on the loop thread (callable from any thread).</summary>
    public static void PostToLoop(this Daemon d, Action action) => d.Loop.Post(action);

    /// <summary>Runs <paramref name="func"/> on the loop thread and completes with its result.</summary>
    public static Task<T> OnLoopAsync<T>(this Daemon d, Func<T> func)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        d.Loop.Post(() =>
        {
            try
            {
                done.SetResult(func());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        return done.Task;
    }

    public static void InjectVnnMap(this Daemon d, VnnMap map) => d.Cluster.AdoptVnnMap(map);

    public static void InjectRecoveryMode(this Daemon d, RecoveryMode mode) => d.Cluster.SetRecoveryMode(mode);

    public static void SendNodeControl(this Daemon d, uint pnn, ControlOpcode opcode, ulong srvid, ReadOnlySpan<byte> data,
        Action<ControlReply> done) => d.Links.SendControl(pnn, opcode, srvid, data, done);

    public static void ResendPendingCalls(this Daemon d, uint dbId) => d.Calls.ResendPendingCalls(dbId);

    /// <summary>Takeover announcement rounds sent so far for a public address (-1 when unknown).</summary>
    public static int PublicAddressRoundsSent(this Daemon d, IPAddress address) => d.PublicAddresses.RoundsSent(address);

    /// <summary>The TDB seqnum of an attached database, or -1.</summary>
    public static int TdbSeqnum(this Daemon d, uint dbId) => d.Databases.TryGet(dbId, out var db) ? db.File.Seqnum : -1;

    /// <summary>The stored header and value of a record of an attached database, or null.</summary>
    public static (LtdbHeader Header, byte[] Value)? FetchRecord(this Daemon d, string dbName, ReadOnlySpan<byte> key)
    {
        var db = d.Databases.Find(dbName) ?? throw new ArgumentException($"database {dbName} is not attached");
        if (!db.File.TryFetch(key, out var data) || !LtdbHeader.TryRead(data, out var header))
        {
            return null;
        }
        return (header, data.AsSpan(LtdbHeader.Size).ToArray());
    }

    /// <summary>Stores a record as given (header unchanged), as a client holding the chain lock would.</summary>
    public static void StoreRecordRaw(this Daemon d, string dbName, ReadOnlySpan<byte> key, LtdbHeader header, ReadOnlySpan<byte> value)
    {
        var db = d.Databases.Find(dbName) ?? throw new ArgumentException($"database {dbName} is not attached");
        db.File.Store(key, header, value);
    }

    /// <summary>From now on, every vnn map the daemon accepts is kept for the AcceptedVnnMaps property.</summary>
    public static void RecordVnnMaps(this Daemon d)
    {
        var list = s_vnnMaps.GetOrCreateValue(d);
        d.Participant.VnnMapAccepted += (generation, leader, term) => list.Add((generation, leader, term));
    }

    extension(Daemon d)
    {
        /// <summary>This node holds the leader role now.</summary>
        public bool IsLeaderNow => d.Leader.IsLeader;

        /// <summary>Vnn maps accepted since <see cref="RecordVnnMaps"/> (generation, leader, term), oldest first.</summary>
        public List<(uint Generation, uint Leader, uint Term)> AcceptedVnnMaps =>
            s_vnnMaps.TryGetValue(d, out var list) ? list : throw new InvalidOperationException("vnn maps are not recorded for this daemon");
    }
}
