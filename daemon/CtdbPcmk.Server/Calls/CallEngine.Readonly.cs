// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Databases;

namespace CtdbPcmk.Server.Calls;

/// <summary>The call paths' part in read-only delegations (<see cref="ReadonlyDelegations"/>).</summary>
internal sealed partial class CallEngine
{
    /// <summary>
    /// A record with RO flags met by a call (chain lock held, value in <see cref="_record"/>): a
    /// finished revoke is cleared, and the call is held (true) while a revoke runs, or when it
    /// would change a record this node masters that has delegations out (the revoke starts then).
    /// </summary>
    private bool HoldForRevoke(CtdbDatabase db, ReadOnlySpan<byte> key, ref LtdbHeader header, int valueLength, bool wantsReadonly, Action retry)
    {
        var value = _record.AsSpan(LtdbHeader.Size, valueLength);
        if ((header.Flags & LtdbHeader.FlagRoRevokeComplete) != 0)
        {
            header = delegations.Finish(db, key, header, value);
        }
        if ((header.Flags & LtdbHeader.FlagRoRevokingReadonly) != 0)
        {
            if (delegations.Defer(db, key, wantsReadonly, retry))
            {
                return true;
            }
            // A revoking mark with no revoke behind it (its revoke ended without this node): off.
            log.Warning("Record of {Db} marked as being revoked with no revoke running; mark taken off", db.Name);
            header.Flags &= ~LtdbHeader.FlagRoRevokingReadonly;
            header = writer.Store(db, key, header, value);
        }
        const uint delegated = LtdbHeader.FlagRoHaveDelegations | LtdbHeader.FlagRoHaveReadonly;
        if (header.Dmaster == cluster.Pnn && !wantsReadonly && (header.Flags & delegated) != 0)
        {
            delegations.Start(db, key.ToArray(), header, value);
            return delegations.Defer(db, key, wantsReadonly, retry);
        }
        return false;
    }

    /// <summary>
    /// A read-only copy came back for a call this node sent (REPLY_CALL with the header first):
    /// stored when it is newer than the local copy. False when the chain is locked (try again).
    /// </summary>
    private bool StoreReadonlyCopy(PendingCall call, ReadOnlySpan<byte> data)
    {
        if (data.Length < LtdbHeader.Size || !databases.TryGet(call.DbId, out var db))
        {
            return true;
        }
        var received = LtdbHeader.Read(data);
        if ((received.Flags & LtdbHeader.FlagRoHaveReadonly) == 0)
        {
            return true;
        }
        if (!db.File.TryChainLock(call.Key))
        {
            return false;
        }
        try
        {
            int len = db.File.FetchInto(call.Key, ref _record);
            if (len < LtdbHeader.Size || received.Rsn > LtdbHeader.Read(_record).Rsn)
            {
                writer.Store(db, call.Key, received, data[LtdbHeader.Size..]);
            }
        }
        finally
        {
            db.File.ChainUnlock(call.Key);
        }
        return true;
    }

    /// <summary>Runs a node packet that was held (for a revoke or a pinned sticky record) again.</summary>
    private void RequeueNodeCall(uint from, byte[] packet) =>
        loop.Post(() =>
        {
            var header = PacketHeader.Read(packet);
            if (!IsCurrentGeneration(header))
            {
                log.Debug("Held {Op} from node {Pnn} outlived its generation {Gen}; dropped", header.Operation, from, header.Generation);
                return;
            }
            if (!TryNodeCall(header, packet))
            {
                DeferNodeCall(from, packet, 0);
            }
        });
}
