// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Server;

/// <summary>Direct access to this node's records from another thread (diagnostics and in-process tests).</summary>
public sealed partial class Daemon
{
    /// <summary>Runs <paramref name="func"/> on the loop thread and completes with its result.</summary>
    internal Task<T> OnLoopAsync<T>(Func<T> func)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _loop.Post(() =>
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

    /// <summary>Takeover announcement rounds sent so far for a public address (-1 when unknown).</summary>
    internal int PublicAddressRoundsSent(System.Net.IPAddress address) => _publicAddresses.RoundsSent(address);

    /// <summary>The stored header and value of a record of an attached database, or null.</summary>
    internal (LtdbHeader Header, byte[] Value)? FetchRecord(string dbName, ReadOnlySpan<byte> key)
    {
        var db = _databases.Find(dbName) ?? throw new ArgumentException($"database {dbName} is not attached");
        if (!db.File.TryFetch(key, out var data) || !LtdbHeader.TryRead(data, out var header))
        {
            return null;
        }
        return (header, data.AsSpan(LtdbHeader.Size).ToArray());
    }

    /// <summary>Stores a record as given (header unchanged), as a client holding the chain lock would.</summary>
    internal void StoreRecordRaw(string dbName, ReadOnlySpan<byte> key, LtdbHeader header, ReadOnlySpan<byte> value)
    {
        var db = _databases.Find(dbName) ?? throw new ArgumentException($"database {dbName} is not attached");
        db.File.Store(key, header, value);
    }

    /// <summary>Number of records in an attached database.</summary>
    internal int CountRecords(string dbName)
    {
        var db = _databases.Find(dbName) ?? throw new ArgumentException($"database {dbName} is not attached");
        int n = 0;
        db.File.TraverseRead((_, _) =>
        {
            n++;
            return true;
        });
        return n;
    }

    internal bool HasDatabase(string dbName) => _databases.Find(dbName) is not null;

    internal bool IsLeaderNow => _leadership.IsLeader;
}
