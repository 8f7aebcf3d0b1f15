// SPDX-License-Identifier: GPL-3.0-or-later

namespace CtdbPcmk.Server.Calls;

/// <summary>
/// Calls waiting on a migration when a recovery rebuilt the databases: their packets may have
/// been lost or dropped for their old generation, so each is routed again from scratch.
/// </summary>
internal sealed partial class CallEngine
{
    /// <summary>
    /// Routes every call waiting on a record of database <paramref name="dbId"/> again: a new
    /// reqid, the current generation, the record's present dmaster. Recovery calls this when it
    /// thaws the database; while recovery mode is still active the calls wait and go out once it
    /// is normal. Loop thread only.
    /// </summary>
    public void ResendPendingCalls(uint dbId)
    {
        if (databases.TryGet(dbId, out var db))
        {
            // The recovered records carry no RO flags: every delegation and revoke has ended.
            delegations.Recovered(db);
        }
        Resend(_calls.TakeAll(dbId));
    }

    private void Resend(List<PendingCall> calls)
    {
        if (calls.Count != 0)
        {
            log.Information("Resending {Count} pending calls in generation {Gen}", calls.Count, cluster.Generation);
        }
        foreach (var call in calls)
        {
            call.Attempts = 0;
            RetryCall(call);
        }
    }
}
