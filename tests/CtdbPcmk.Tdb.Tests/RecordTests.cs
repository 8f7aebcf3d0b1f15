// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Tdb.Tests;

public sealed class RecordTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly TdbFile _tdb;

    public RecordTests() =>
        _tdb = TdbFile.Open(_dir.File("rec.tdb.0"), CtdbFlagSets.HashSize, CtdbFlagSets.Volatile, Posix.ORdWr | Posix.OCreat, Posix.Mode0600);

    public void Dispose()
    {
        _tdb.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void StoreFetchExistsDelete()
    {
        Assert.False(_tdb.Exists("key1"u8));
        Assert.False(_tdb.TryFetch("key1"u8, out byte[] none));
        Assert.Empty(none);

        _tdb.Store("key1"u8, "value one"u8);
        Assert.True(_tdb.Exists("key1"u8));
        Assert.True(_tdb.TryFetch("key1"u8, out byte[] value));
        Assert.Equal("value one"u8.ToArray(), value);

        _tdb.Store("key1"u8, "v2"u8);
        Assert.True(_tdb.TryFetch("key1"u8, out value));
        Assert.Equal("v2"u8.ToArray(), value);

        Assert.True(_tdb.Delete("key1"u8));
        Assert.False(_tdb.Exists("key1"u8));
        Assert.False(_tdb.Delete("key1"u8));
    }

    [Fact]
    public void EmptyValueIsPresent()
    {
        _tdb.Store("e"u8, ReadOnlySpan<byte>.Empty);
        Assert.True(_tdb.Exists("e"u8));
        Assert.True(_tdb.TryFetch("e"u8, out byte[] value));
        Assert.Empty(value);
        byte[] buffer = new byte[4];
        Assert.Equal(0, _tdb.FetchInto("e"u8, ref buffer));
    }

    [Fact]
    public void BinaryKeysAndValues()
    {
        byte[] key = [0, 1, 2, 0, 255];
        byte[] value = new byte[70_000];
        new Random(3).NextBytes(value);
        _tdb.Store(key, value);
        Assert.True(_tdb.TryFetch(key, out byte[] back));
        Assert.Equal(value, back);
        Assert.False(_tdb.Exists(key.AsSpan(0, 4)));
    }

    [Fact]
    public void InsertAndModifyModes()
    {
        _tdb.Store("k"u8, "a"u8, TdbStoreMode.Insert);
        TdbException exists = Assert.Throws<TdbException>(() => _tdb.Store("k"u8, "b"u8, TdbStoreMode.Insert));
        Assert.Equal(TdbError.Exists, exists.Error);
        Assert.Contains(_tdb.Path, exists.Message, StringComparison.Ordinal);
        Assert.Equal(_tdb.Path, exists.Path);

        _tdb.Store("k"u8, "c"u8, TdbStoreMode.Modify);
        Assert.True(_tdb.TryFetch("k"u8, out byte[] value));
        Assert.Equal("c"u8.ToArray(), value);

        TdbException missing = Assert.Throws<TdbException>(() => _tdb.Store("other"u8, "x"u8, TdbStoreMode.Modify));
        Assert.Equal(TdbError.NoExist, missing.Error);
        Assert.False(_tdb.Exists("other"u8));
    }

    [Fact]
    public void HeaderAndDataRoundTrip()
    {
        var header = new LtdbHeader(0x0102030405060708, 3, LtdbHeader.FlagMigratedWithData | LtdbHeader.FlagRoHaveReadonly);
        _tdb.Store("file_id"u8, header, "share mode entry"u8);

        Assert.True(_tdb.TryFetch("file_id"u8, out byte[] stored));
        Assert.Equal(LtdbHeader.Size + 16, stored.Length);
        Assert.True(LtdbHeader.TryRead(stored, out LtdbHeader back));
        Assert.Equal(header, back);
        Assert.Equal("share mode entry"u8.ToArray(), stored[LtdbHeader.Size..]);
        // The reserved and pad words are written as zero.
        Assert.Equal(new byte[4], stored[12..16]);
        Assert.Equal(new byte[4], stored[20..24]);
    }

    [Fact]
    public void HeaderWithEmptyDataIsATombstone()
    {
        _tdb.Store("gone"u8, new LtdbHeader(9, 1, 0), ReadOnlySpan<byte>.Empty);
        Assert.True(_tdb.TryFetch("gone"u8, out byte[] stored));
        Assert.Equal(LtdbHeader.Size, stored.Length);
        Assert.Equal(new LtdbHeader(9, 1, 0), LtdbHeader.Read(stored));
    }

    [Fact]
    public void FetchIntoReusesAndGrowsTheBuffer()
    {
        _tdb.Store("small"u8, "abc"u8);
        byte[] big = new byte[1000];
        new Random(5).NextBytes(big);
        _tdb.Store("big"u8, big);

        byte[] buffer = new byte[16];
        byte[] original = buffer;
        Assert.Equal(3, _tdb.FetchInto("small"u8, ref buffer));
        Assert.Same(original, buffer);
        Assert.Equal("abc"u8.ToArray(), buffer[..3]);

        Assert.Equal(1000, _tdb.FetchInto("big"u8, ref buffer));
        Assert.NotSame(original, buffer);
        Assert.True(buffer.Length >= 1000);
        Assert.Equal(big, buffer[..1000]);

        byte[] grown = buffer;
        Assert.Equal(-1, _tdb.FetchInto("absent"u8, ref buffer));
        Assert.Same(grown, buffer);

        Assert.Equal(3, _tdb.FetchInto("small"u8, ref buffer));
        Assert.Same(grown, buffer);
    }

    [Fact]
    public void FetchIntoAllocatesNothingWhenTheBufferFits()
    {
        _tdb.Store("k"u8, "0123456789"u8);
        byte[] buffer = new byte[64];
        _tdb.FetchInto("k"u8, ref buffer); // warm up
        long total = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            total += _tdb.FetchInto("k"u8, ref buffer);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(10_000, total);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void UseAfterDisposeThrows()
    {
        string path = _dir.File("closed.tdb");
        TdbFile tdb = TdbFile.Open(path, 0, TdbFlags.Default, Posix.ORdWr | Posix.OCreat, Posix.Mode0600);
        tdb.Dispose();
        Assert.Throws<ObjectDisposedException>(() => tdb.Exists("k"u8));
        tdb.Dispose();
    }
}
