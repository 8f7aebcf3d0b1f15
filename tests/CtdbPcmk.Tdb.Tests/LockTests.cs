// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Tdb.Tests;

/// <summary>Chain locks and lockall against a second process, as smbd would hold them.</summary>
public sealed class LockTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, int> FlagSets => new()
    {
        { "fcntl", (int)CtdbFlagSets.Replicated },
        { "mutex", (int)CtdbFlagSets.Volatile },
        { "persistent", (int)CtdbFlagSets.Persistent },
    };

    private TdbFile Create(TdbFlags flags) =>
        TdbFile.Open(_dir.File("lock.tdb.0"), CtdbFlagSets.HashSize, flags, Posix.ORdWr | Posix.OCreat, Posix.Mode0600);

    [Theory]
    [MemberData(nameof(FlagSets))]
    public void TryChainLockFailsWhileAnotherProcessHoldsTheChain(string kind, int flags)
    {
        Assert.True(TdbRuntime.RobustMutexesSupported, kind);
        using TdbFile tdb = Create((TdbFlags)flags);
        tdb.Store("key1"u8, "v"u8);
        using (LockHelper other = LockHelper.ChainLock(tdb.Path, (TdbFlags)flags, "key1"))
        {
            Assert.False(tdb.TryChainLock("key1"u8));
            Assert.False(tdb.TryChainLock("key1"u8));
            // Other chains stay free.
            Assert.True(tdb.TryChainLock("key2"u8));
            tdb.ChainUnlock("key2"u8);
            other.Release();
        }
        Assert.True(tdb.TryChainLock("key1"u8));
        tdb.ChainUnlock("key1"u8);
    }

    [Theory]
    [MemberData(nameof(FlagSets))]
    public void OurChainLockBlocksTheOtherProcess(string kind, int flags)
    {
        using TdbFile tdb = Create((TdbFlags)flags);
        tdb.ChainLock("key1"u8);
        Assert.Equal(-1, LockHelper.TryChainLockElsewhere(tdb.Path, (TdbFlags)flags, "key1"));
        tdb.ChainUnlock("key1"u8);
        Assert.True(0 == LockHelper.TryChainLockElsewhere(tdb.Path, (TdbFlags)flags, "key1"), kind);
    }

    [Theory]
    [MemberData(nameof(FlagSets))]
    public void LockAllBlocksChainLocksElsewhere(string kind, int flags)
    {
        using TdbFile tdb = Create((TdbFlags)flags);
        tdb.LockAll();
        Assert.Equal(-1, LockHelper.TryChainLockElsewhere(tdb.Path, (TdbFlags)flags, "key1"));
        Assert.Equal(-1, LockHelper.TryChainLockElsewhere(tdb.Path, (TdbFlags)flags, "another key"));
        tdb.UnlockAll();
        Assert.True(0 == LockHelper.TryChainLockElsewhere(tdb.Path, (TdbFlags)flags, "key1"), kind);
    }

    [Theory]
    [MemberData(nameof(FlagSets))]
    public void TryLockAllFailsWhileAnotherProcessHoldsAChain(string kind, int flags)
    {
        using TdbFile tdb = Create((TdbFlags)flags);
        using (LockHelper other = LockHelper.ChainLock(tdb.Path, (TdbFlags)flags, "key1"))
        {
            Assert.False(tdb.TryLockAll(), kind);
            other.Release();
        }
        Assert.True(tdb.TryLockAll());
        tdb.UnlockAll();
    }

    [Theory]
    [MemberData(nameof(FlagSets))]
    public async Task BlockingChainLockWaitsForTheOtherProcess(string kind, int flags)
    {
        using TdbFile tdb = Create((TdbFlags)flags);
        using LockHelper other = LockHelper.ChainLock(tdb.Path, (TdbFlags)flags, "key1");
        using var locked = new ManualResetEventSlim();
        // Lock and unlock on the same thread: a robust mutex belongs to the thread that took it.
        var waiter = Task.Run(() =>
        {
            tdb.ChainLock("key1"u8);
            locked.Set();
            tdb.ChainUnlock("key1"u8);
        });
        Assert.False(locked.Wait(300), kind);
        other.Release();
        Assert.True(locked.Wait(10_000));
        await waiter;
        Assert.True(tdb.TryChainLock("key1"u8));
        tdb.ChainUnlock("key1"u8);
    }

    [Fact]
    public async Task MutexChainLockBelongsToTheLockingThread()
    {
        // Documents why TdbFile is single-threaded: another thread cannot release the chain.
        // (libtdb's lock bookkeeping is per handle, so the failed attempt also leaves it
        // inconsistent; the file is simply closed afterwards.)
        using TdbFile tdb = Create(CtdbFlagSets.Volatile);
        await Task.Factory.StartNew(
            () => tdb.ChainLock("key1"u8), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        TdbException ex = Assert.Throws<TdbException>(() => tdb.ChainUnlock("key1"u8));
        Assert.Equal(1, ex.Errno); // EPERM: not the owner
        Assert.Contains(tdb.Path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnlockingAChainNotHeldIsAnError()
    {
        using TdbFile tdb = Create(CtdbFlagSets.Replicated);
        TdbException ex = Assert.Throws<TdbException>(() => tdb.ChainUnlock("never locked"u8));
        Assert.Equal(tdb.Path, ex.Path);
    }
}
