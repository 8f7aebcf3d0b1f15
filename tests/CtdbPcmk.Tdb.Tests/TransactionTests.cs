// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Tdb.Tests;

public sealed class TransactionTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly TdbFile _tdb;

    public TransactionTests() =>
        _tdb = TdbFile.Open(_dir.File("secrets.tdb.0"), CtdbFlagSets.HashSize, CtdbFlagSets.Persistent, Posix.ORdWr | Posix.OCreat, Posix.Mode0600);

    public void Dispose()
    {
        _tdb.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void CommitKeepsChanges()
    {
        _tdb.Store("old"u8, "1"u8);
        _tdb.TransactionStart();
        _tdb.Store("a"u8, "1"u8);
        _tdb.Store("b"u8, "2"u8);
        Assert.True(_tdb.Delete("old"u8));
        _tdb.TransactionCommit();

        // What reached the file: reopen it after closing our handle.
        _tdb.Dispose();
        using TdbFile reopened = TdbFile.Open(_dir.File("secrets.tdb.0"), 0, CtdbFlagSets.Persistent, Posix.ORdWr, 0);
        Assert.True(reopened.Exists("a"u8));
        Assert.True(reopened.Exists("b"u8));
        Assert.False(reopened.Exists("old"u8));
    }

    [Fact]
    public void CancelDropsChanges()
    {
        _tdb.Store("keep"u8, "1"u8);
        _tdb.TransactionStart();
        _tdb.Store("a"u8, "1"u8);
        _tdb.Store("keep"u8, "changed"u8);
        Assert.True(_tdb.Exists("a"u8)); // visible inside the transaction
        _tdb.TransactionCancel();

        Assert.False(_tdb.Exists("a"u8));
        Assert.True(_tdb.TryFetch("keep"u8, out byte[] value));
        Assert.Equal("1"u8.ToArray(), value);
    }

    [Fact]
    public void TryTransactionStartSucceedsWhenFree()
    {
        Assert.True(_tdb.TryTransactionStart());
        _tdb.Store("x"u8, "y"u8);
        _tdb.TransactionCommit();
        Assert.True(_tdb.Exists("x"u8));
    }

    [Fact]
    public void NestingIsDisallowed()
    {
        _tdb.TransactionStart();
        TdbException ex = Assert.Throws<TdbException>(() => _tdb.TransactionStart());
        Assert.Equal(TdbError.Nesting, ex.Error);
        _tdb.TransactionCancel();
    }

    [Fact]
    public void CommitWithoutTransactionIsAnError()
    {
        TdbException ex = Assert.Throws<TdbException>(() => _tdb.TransactionCommit());
        Assert.Equal(_tdb.Path, ex.Path);
    }
}
