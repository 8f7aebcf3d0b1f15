// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Databases;

namespace CtdbPcmk.Server.Calls;

/// <summary>Calls of the daemon's own: the lmaster taking a record back to vacuum it.</summary>
internal sealed partial class CallEngine
{
    /// <summary>
    /// Migrates a record of <paramref name="db"/> to this node, as a client's NULL_FUNC call with
    /// IMMEDIATE_MIGRATION and VACUUM_MIGRATION would (the dmaster keeps no copy of an empty
    /// record that never held data, and this node deletes it on arrival when it is the lmaster).
    /// <paramref name="done"/> is told, on the loop thread and never from inside this call,
    /// true once the record is mastered here (or gone), false when the call failed.
    /// </summary>
    public void MigrateHere(CtdbDatabase db, byte[] key, Action<bool> done)
    {
        var pending = new PendingCall(null, 0, db.Id, key, ReqCall.NullFunc, ReqCall.FlagImmediateMigration | ReqCall.FlagVacuumMigration)
        {
            Started = loop.Now,
            Migrated = ok => loop.Post(() => done(ok)),
        };
        statistics.Counters.PendingCalls++;
        loop.Post(() => RetryCall(pending));
    }
}
