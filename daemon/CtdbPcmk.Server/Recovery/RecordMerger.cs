// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Databases;

namespace CtdbPcmk.Server.Recovery;

/// <summary>
/// Builds the contents a recovery pushes to every node from the records pulled from the nodes.
/// Volatile databases: per key the copy with the highest rsn wins (on a tie the first one
/// collected, unless it names the leader as dmaster); a winning empty record is a deletion and
/// is pushed to no one, so an older copy elsewhere cannot come back. Persistent and replicated
/// databases are pulled from one node only and kept whole, deletions (empty records) included.
/// </summary>
internal sealed class RecordMerger
{
    private readonly Dictionary<byte[], Entry> _records = new(ByteArrayComparer.Instance);
    private readonly bool _volatile;
    private readonly uint _leader;

    public RecordMerger(bool isVolatile, uint leader)
    {
        _volatile = isVolatile;
        _leader = leader;
    }

    /// <summary>Records collected so far (one per key).</summary>
    public int Count => _records.Count;

    /// <summary>Adds one pulled record (data = ltdb header + value). Records without a header are ignored.</summary>
    public void Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
    {
        if (!LtdbHeader.TryRead(data, out var header))
        {
            return;
        }
        var value = data[LtdbHeader.Size..];
        if (_volatile && _records.TryGetValue(key.ToArray(), out var old))
        {
            bool newer = header.Rsn > old.Header.Rsn
                || (header.Rsn == old.Header.Rsn && old.Header.Dmaster == _leader);
            if (!newer)
            {
                return;
            }
        }
        _records[key.ToArray()] = new Entry(header, value.ToArray());
    }

    /// <summary>
    /// The records to push, as a sequence of rec buffers of at most <paramref name="limit"/> bytes
    /// each (a record larger than the limit gets a buffer of its own).
    /// </summary>
    public List<byte[]> ToBuffers(uint dbId, int limit)
    {
        var buffers = new List<byte[]>();
        var pending = new List<(byte[] Key, LtdbHeader Header, byte[] Value)>();
        int size = RecBuffer.HeadSize;
        foreach (var (key, entry) in _records)
        {
            if (!TryOutput(entry, out var header))
            {
                continue;
            }
            int recSize = RecData.GetEncodedSize(key.Length, LtdbHeader.Size + entry.Value.Length);
            if (pending.Count > 0 && size + recSize > limit)
            {
                buffers.Add(Encode(dbId, pending, size));
                pending.Clear();
                size = RecBuffer.HeadSize;
            }
            pending.Add((key, header, entry.Value));
            size += recSize;
        }
        if (pending.Count > 0 || buffers.Count == 0)
        {
            buffers.Add(Encode(dbId, pending, size));
        }
        return buffers;
    }

    /// <summary>The records to push with the headers they get, for inspection.</summary>
    public IEnumerable<(byte[] Key, LtdbHeader Header, byte[] Value)> Output()
    {
        foreach (var (key, entry) in _records)
        {
            if (TryOutput(entry, out var header))
            {
                yield return (key, header, entry.Value);
            }
        }
    }

    private bool TryOutput(Entry entry, out LtdbHeader header)
    {
        header = entry.Header;
        if (!_volatile)
        {
            return true;
        }
        if (entry.Value.Length == 0)
        {
            return false;
        }
        // Every node gets the record with the leader as dmaster (the leader's copy is the
        // authoritative one until a client migrates it); delegations do not survive a recovery.
        header = new LtdbHeader(header.Rsn, _leader,
            (header.Flags & ~(LtdbHeader.FlagRoMask | LtdbHeader.FlagVacuumMigrated | LtdbHeader.FlagAutomatic)) | LtdbHeader.FlagMigratedWithData);
        return true;
    }

    private static byte[] Encode(uint dbId, List<(byte[] Key, LtdbHeader Header, byte[] Value)> records, int size)
    {
        var buffer = new byte[size];
        var writer = new RecBufferWriter(buffer, dbId);
        foreach (var (key, header, value) in records)
        {
            writer.TryAdd(0, key, header, value);
        }
        return buffer;
    }

    private readonly record struct Entry(LtdbHeader Header, byte[] Value);
}
