// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Tdb.Tests;

/// <summary>Opening with ctdbd's flag sets reports what DB_OPEN_FLAGS must return (ctdb-protocol.md §4.3).</summary>
public sealed class OpenFlagsTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private TdbFile Create(string name, TdbFlags flags) =>
        TdbFile.Open(_dir.File(name), CtdbFlagSets.HashSize, flags, Posix.ORdWr | Posix.OCreat, Posix.Mode0600);

    [Fact]
    public void RobustMutexesAreSupportedOnThisHost()
    {
        // The volatile flag set below depends on it; ctdbd would drop MUTEX_LOCKING otherwise.
        Assert.True(TdbRuntime.RobustMutexesSupported);
    }

    [Fact]
    public void VolatileWithMutexes()
    {
        Assert.True(TdbRuntime.RobustMutexesSupported);
        using TdbFile tdb = Create("locking.tdb.0", CtdbFlagSets.Volatile);
        Assert.Equal(0x1C41, (int)tdb.Flags);
        tdb.EnableSeqnum();
        Assert.Equal(0x1CC1, (int)tdb.Flags);
    }

    [Fact]
    public void Replicated()
    {
        using TdbFile tdb = Create("repl.tdb.0", CtdbFlagSets.Replicated);
        Assert.Equal(0x0C41, (int)tdb.Flags);
    }

    [Fact]
    public void PersistentAndSeqnum()
    {
        using TdbFile tdb = Create("secrets.tdb.0", CtdbFlagSets.Persistent);
        Assert.Equal(0x0400, (int)tdb.Flags);
        tdb.EnableSeqnum();
        Assert.Equal(0x0480, (int)tdb.Flags);
    }

    [Fact]
    public void HashSizeComesFromTheFile()
    {
        string path = _dir.File("h.tdb");
        using (TdbFile tdb = TdbFile.Open(path, 131, CtdbFlagSets.Persistent, Posix.ORdWr | Posix.OCreat, Posix.Mode0600))
        {
            Assert.Equal(131, tdb.HashSize);
        }
        using TdbFile again = TdbFile.Open(path, 9999, CtdbFlagSets.Persistent, Posix.ORdWr, 0);
        Assert.Equal(131, again.HashSize);
        Assert.Equal(path, again.Path);
    }

    [Fact]
    public void ClearIfFirstWipesOnlyOnTheFirstOpen()
    {
        string path = _dir.File("vol.tdb.0");
        using (TdbFile first = Create("vol.tdb.0", CtdbFlagSets.Volatile))
        {
            first.Store("k"u8, "v"u8);
        }
        // Nobody had it open: the next opener wipes it.
        using (TdbFile second = Create("vol.tdb.0", CtdbFlagSets.Volatile))
        {
            Assert.False(second.Exists("k"u8));
            second.Store("k"u8, "v2"u8);
            // Another process opens it while we hold it: it must not wipe.
            using LockHelper other = LockHelper.Hold(path, CtdbFlagSets.Volatile);
            second.Dispose();
            // The other process keeps it open, so reopening keeps the record too.
            using (TdbFile third = Create("vol.tdb.0", CtdbFlagSets.Volatile))
            {
                Assert.True(third.TryFetch("k"u8, out byte[] value));
                Assert.Equal("v2"u8.ToArray(), value);
            }
            other.Release();
        }
        using TdbFile last = Create("vol.tdb.0", CtdbFlagSets.Volatile);
        Assert.False(last.Exists("k"u8));
    }

    [Fact]
    public void BadPathThrowsTdbExceptionNamingThePath()
    {
        string path = _dir.File("no/such/dir/x.tdb");
        TdbException ex = Assert.Throws<TdbException>(() =>
            TdbFile.Open(path, 0, TdbFlags.Default, Posix.ORdWr | Posix.OCreat, Posix.Mode0600));
        Assert.Equal(path, ex.Path);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, ex.Errno); // ENOENT
        Assert.Equal(TdbError.Io, ex.Error);
    }

    [Fact]
    public void MissingFileWithoutCreateFails()
    {
        // smbd opens without O_CREAT: the file must already exist.
        string path = _dir.File("absent.tdb.0");
        TdbException ex = Assert.Throws<TdbException>(() => TdbFile.Open(path, 0, CtdbFlagSets.Volatile, Posix.ORdWr, 0));
        Assert.Equal(2, ex.Errno);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void NonTdbFileIsRejectedAndLeftAlone()
    {
        string path = _dir.File("garbage.tdb");
        byte[] garbage = new byte[4096];
        new Random(7).NextBytes(garbage);
        File.WriteAllBytes(path, garbage);
        TdbException ex = Assert.Throws<TdbException>(() => TdbFile.Open(path, 0, TdbFlags.Default, Posix.ORdWr, 0));
        Assert.Equal(path, ex.Path);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.NotEqual(0, ex.Errno);
        Assert.Equal(garbage, File.ReadAllBytes(path));
    }

    [Fact]
    public void PathWithNulIsRejected()
    {
        Assert.Throws<ArgumentException>(() => TdbFile.Open(_dir.File("a\0b"), 0, TdbFlags.Default, Posix.ORdWr | Posix.OCreat, Posix.Mode0600));
    }
}
