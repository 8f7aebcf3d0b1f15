// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server.Calls;

/// <summary>
/// Client calls waiting for a record to migrate here: by the reqid of their node REQ_CALL
/// (to match REQ_DMASTER/REPLY_DMASTER/REPLY_ERROR) and by database and key (one migration
/// in flight per record; later calls for it are parked on the first).
/// </summary>
internal sealed class CallTable
{
    private readonly Dictionary<uint, PendingCall> _byReqId = new();
    private readonly Dictionary<uint, Dictionary<byte[], PendingCall>> _byKey = new();

    public int Count => _byReqId.Count;

    public void Add(PendingCall call)
    {
        _byReqId.Add(call.NodeReqId, call);
        if (!_byKey.TryGetValue(call.DbId, out var keys))
        {
            keys = new Dictionary<byte[], PendingCall>(KeyComparer.Instance);
            _byKey.Add(call.DbId, keys);
        }
        keys[call.Key] = call;
    }

    /// <summary>When the oldest call waiting for another node was started (loop timestamp), or null.</summary>
    public long? OldestStarted() => _byReqId.Count == 0 ? null : _byReqId.Values.Min(c => c.Started);

    public bool TryGet(uint nodeReqId, out PendingCall call) => _byReqId.TryGetValue(nodeReqId, out call!);

    /// <summary>The call whose migration is in flight for this record, if any.</summary>
    public bool TryGetInFlight(uint dbId, ReadOnlySpan<byte> key, out PendingCall call)
    {
        if (_byKey.TryGetValue(dbId, out var keys) && keys.Count != 0)
        {
            return keys.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(key, out call!);
        }
        call = null!;
        return false;
    }

    public void Remove(PendingCall call)
    {
        _byReqId.Remove(call.NodeReqId);
        if (_byKey.TryGetValue(call.DbId, out var keys)
            && keys.TryGetValue(call.Key, out var current) && ReferenceEquals(current, call))
        {
            keys.Remove(call.Key);
        }
        call.NodeReqId = 0;
    }

    /// <summary>Removes and returns every call of one database (all when <paramref name="dbId"/> is null), oldest first.</summary>
    public List<PendingCall> TakeAll(uint? dbId)
    {
        var taken = new List<PendingCall>();
        foreach (var call in _byReqId.Values)
        {
            if (dbId is null || call.DbId == dbId)
            {
                taken.Add(call);
            }
        }
        taken.Sort(static (a, b) => a.Started.CompareTo(b.Started));
        foreach (var call in taken)
        {
            Remove(call);
        }
        return taken;
    }
}
