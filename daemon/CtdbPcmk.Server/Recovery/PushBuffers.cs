// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Server.Recovery;

/// <summary>
/// A recovery's push as rec buffers made one at a time, in order: the sizes (and so the count of
/// buffers and records) are known at once, the bytes only when a buffer is asked for. A buffer
/// every node has taken can be dropped, so the push of a large database does not hold a second
/// copy of it in memory, newly touched, beside the records pulled.
/// </summary>
internal sealed class PushBuffers
{
    private readonly RecordMerger _merger;
    private readonly uint _dbId;
    private readonly List<int> _sizes = new();
    private Dictionary<RecordStore.Ref, RecordStore.Ref>.ValueCollection.Enumerator _records;
    private int _made;

    public PushBuffers(RecordMerger merger, uint dbId, int limit)
    {
        _merger = merger;
        _dbId = dbId;
        var sizing = merger.Winners();
        int size = RecBuffer.HeadSize;
        int inBuffer = 0;
        while (merger.NextOutput(ref sizing, out var rec, out _))
        {
            int recSize = RecData.GetEncodedSize(rec.Key.Length, rec.Data.Length);
            if (inBuffer > 0 && size + recSize > limit)
            {
                _sizes.Add(size);
                size = RecBuffer.HeadSize;
                inBuffer = 0;
            }
            size += recSize;
            inBuffer++;
            Records++;
        }
        _sizes.Add(size);
        _records = merger.Winners();
    }

    /// <summary>Buffers in the push (at least one, which may hold no record).</summary>
    public int Count => _sizes.Count;

    /// <summary>Records in the push.</summary>
    public uint Records { get; }

    /// <summary>The next buffer.</summary>
    public byte[] Next()
    {
        var buffer = new byte[_sizes[_made++]];
        var writer = new RecBufferWriter(buffer, _dbId);
        while (writer.Length < buffer.Length && _merger.NextOutput(ref _records, out var rec, out var header))
        {
            writer.TryAdd(0, rec.Key, header, rec.Data[LtdbHeader.Size..]);
        }
        return buffer;
    }
}
