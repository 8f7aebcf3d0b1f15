// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Server.Recovery;

/// <summary>
/// Builds the contents a recovery pushes to every node from the records pulled from the nodes.
/// Volatile databases: per key the copy with the highest rsn wins (on a tie the first one
/// collected, unless it names the leader as dmaster); a winning empty record is a deletion and
/// is pushed to no one, so an older copy elsewhere cannot come back. Persistent and replicated
/// databases are pulled from one node only and kept whole, deletions (empty records) included.
/// </summary>
/// <remarks>
/// Pulled records stay in the encoding they arrived in, copied once into large chunks
/// (<see cref="RecordStore"/>); the index holds positions, not objects, so a million records
/// cost a few chunks and one table rather than millions of small arrays for the collector.
/// </remarks>
internal sealed class RecordMerger
{
    private readonly RecordStore _store = new();
    private readonly Dictionary<RecordStore.Ref, RecordStore.Ref> _winners;
    private readonly bool _volatile;
    private readonly uint _leader;

    public RecordMerger(bool isVolatile, uint leader)
    {
        _volatile = isVolatile;
        _leader = leader;
        _winners = new Dictionary<RecordStore.Ref, RecordStore.Ref>(_store);
    }

    /// <summary>Records collected so far (one per key).</summary>
    public int Count => _winners.Count;

    /// <summary>
    /// Adds every record of one pulled rec buffer (head included). A malformed buffer throws
    /// <see cref="ProtocolException"/> before any of its records is added.
    /// </summary>
    public void AddBuffer(ReadOnlySpan<byte> recBuffer)
    {
        var buffer = RecBuffer.Read(recBuffer);
        foreach (var _ in buffer)
        {
            // Every record is decoded once before the buffer is kept, so a bad one keeps none.
        }
        foreach (var r in _store.AddRecords(buffer.Records, buffer.Count))
        {
            Merge(r);
        }
    }

    /// <summary>Adds one pulled record (data = ltdb header + value). Records without a header are ignored.</summary>
    public void Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) => Merge(_store.Add(key, data));

    private void Merge(RecordStore.Ref r)
    {
        var rec = _store.Record(r);
        if (!LtdbHeader.TryRead(rec.Data, out var header))
        {
            return;
        }
        ref var winner = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_winners, r, out bool exists);
        if (!exists)
        {
            winner = r;
            return;
        }
        if (!_volatile)
        {
            winner = r;
            return;
        }
        var old = LtdbHeader.Read(_store.Record(winner).Data);
        if (header.Rsn > old.Rsn || (header.Rsn == old.Rsn && old.Dmaster == _leader))
        {
            winner = r;
        }
    }

    /// <summary>
    /// The records to push, as a sequence of rec buffers of at most <paramref name="limit"/> bytes
    /// each (a record larger than the limit gets a buffer of its own).
    /// </summary>
    public List<byte[]> ToBuffers(uint dbId, int limit)
    {
        var push = Push(dbId, limit);
        var buffers = new List<byte[]>(push.Count);
        for (int i = 0; i < push.Count; i++)
        {
            buffers.Add(push.Next());
        }
        return buffers;
    }

    /// <summary>The records to push, as rec buffers made one at a time (<see cref="PushBuffers"/>).</summary>
    public PushBuffers Push(uint dbId, int limit) => new(this, dbId, limit);

    internal Dictionary<RecordStore.Ref, RecordStore.Ref>.ValueCollection.Enumerator Winners() => _winners.Values.GetEnumerator();

    /// <summary>The next record to push from <paramref name="winners"/>, with the header it gets; false at the end.</summary>
    internal bool NextOutput(ref Dictionary<RecordStore.Ref, RecordStore.Ref>.ValueCollection.Enumerator winners, out RecData rec, out LtdbHeader header)
    {
        while (winners.MoveNext())
        {
            rec = _store.Record(winners.Current);
            if (Pushed(rec))
            {
                header = OutputHeader(LtdbHeader.Read(rec.Data));
                return true;
            }
        }
        rec = default;
        header = default;
        return false;
    }

    /// <summary>The records to push with the headers they get, for inspection.</summary>
    public IEnumerable<(byte[] Key, LtdbHeader Header, byte[] Value)> Output()
    {
        var list = new List<(byte[], LtdbHeader, byte[])>();
        var winners = Winners();
        while (NextOutput(ref winners, out var rec, out var header))
        {
            list.Add((rec.Key.ToArray(), header, rec.Data[LtdbHeader.Size..].ToArray()));
        }
        return list;
    }

    /// <summary>Volatile deletions (a winning copy without a value) are not pushed.</summary>
    private bool Pushed(RecData rec) => !_volatile || rec.Data.Length > LtdbHeader.Size;

    private LtdbHeader OutputHeader(LtdbHeader header) =>
        // Every node gets a volatile record with the leader as dmaster (the leader's copy is the
        // authoritative one until a client migrates it); delegations do not survive a recovery.
        !_volatile
            ? header
            : new LtdbHeader(header.Rsn, _leader,
                (header.Flags & ~(LtdbHeader.FlagRoMask | LtdbHeader.FlagVacuumMigrated | LtdbHeader.FlagAutomatic)) | LtdbHeader.FlagMigratedWithData);
}
