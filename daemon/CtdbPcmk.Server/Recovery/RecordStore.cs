// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Server.Recovery;

/// <summary>
/// Append-only storage of encoded records (rec_data: head, key, data) in chunks of up to 4 MiB,
/// addressed by position. It also compares positions by their records' keys, so a dictionary
/// keyed by position indexes the records by key without a copy of any key.
/// </summary>
internal sealed class RecordStore : IEqualityComparer<RecordStore.Ref>
{
    // Chunks grow from 64 KiB to 4 MiB: a small database costs little (a recovery holds one
    // store per database at once), a large one a few chunks per 4 MiB.
    private const int FirstChunk = 64 << 10;
    private const int LargestChunk = 4 << 20;
    private readonly List<byte[]> _chunks = new();
    private int _nextChunk = FirstChunk;
    private int _capacity;
    private int _used;

    /// <summary>Copies <paramref name="count"/> encoded records (already validated) and returns their positions.</summary>
    public List<Ref> AddRecords(ReadOnlySpan<byte> records, int count)
    {
        var (chunk, offset) = Reserve(records.Length);
        records.CopyTo(_chunks[chunk].AsSpan(offset));
        var refs = new List<Ref>(count);
        int at = offset;
        for (int i = 0; i < count; i++)
        {
            refs.Add(new Ref(chunk, at));
            at += (int)BinaryPrimitives.ReadUInt32LittleEndian(_chunks[chunk].AsSpan(at));
        }
        return refs;
    }

    /// <summary>Stores one record and returns its position.</summary>
    public Ref Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
    {
        int size = RecData.GetEncodedSize(key.Length, data.Length);
        var (chunk, offset) = Reserve(size);
        RecData.Write(_chunks[chunk].AsSpan(offset), 0, key, data);
        return new Ref(chunk, offset);
    }

    /// <summary>The record at a position.</summary>
    public RecData Record(Ref r) => RecData.Read(_chunks[r.Chunk].AsSpan(r.Offset));

    public bool Equals(Ref x, Ref y) => x == y || Key(x).SequenceEqual(Key(y));

    public int GetHashCode(Ref r)
    {
        var h = new HashCode();
        h.AddBytes(Key(r));
        return h.ToHashCode();
    }

    private ReadOnlySpan<byte> Key(Ref r)
    {
        var span = _chunks[r.Chunk].AsSpan(r.Offset);
        int keyLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[8..]);
        return span.Slice(RecData.HeadSize, keyLength);
    }

    private (int Chunk, int Offset) Reserve(int size)
    {
        if (_capacity - _used < size)
        {
            _capacity = Math.Max(_nextChunk, size);
            _chunks.Add(new byte[_capacity]);
            _used = 0;
            _nextChunk = Math.Min(_nextChunk * 2, LargestChunk);
        }
        int offset = _used;
        _used += size;
        return (_chunks.Count - 1, offset);
    }

    /// <summary>A record's chunk and offset.</summary>
    internal readonly record struct Ref(int Chunk, int Offset);
}
