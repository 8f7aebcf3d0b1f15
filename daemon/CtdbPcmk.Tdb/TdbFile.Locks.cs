// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Tdb;

// With TDB_MUTEX_LOCKING a chain lock is a robust pthread mutex owned by the locking *thread*:
// lock and unlock from the same thread (fcntl locks, without mutexes, are per process).
public sealed partial class TdbFile
{
    /// <summary>tdb_chainlock: blocks until the key's hash chain is locked (fcntl lock or robust mutex).</summary>
    public unsafe void ChainLock(ReadOnlySpan<byte> key)
    {
        fixed (byte* k = key)
        {
            if (Interop.LibTdb.tdb_chainlock(_handle, new(k, key.Length)) != 0)
            {
                ThrowLastError("tdb_chainlock", Marshal.GetLastPInvokeError());
            }
        }
    }

    /// <summary>tdb_chainlock_nonblock: false when another process holds the chain.</summary>
    public unsafe bool TryChainLock(ReadOnlySpan<byte> key)
    {
        fixed (byte* k = key)
        {
            return Interop.LibTdb.tdb_chainlock_nonblock(_handle, new(k, key.Length)) == 0 || Contended("tdb_chainlock_nonblock", Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>tdb_chainunlock.</summary>
    public unsafe void ChainUnlock(ReadOnlySpan<byte> key)
    {
        fixed (byte* k = key)
        {
            if (Interop.LibTdb.tdb_chainunlock(_handle, new(k, key.Length)) != 0)
            {
                ThrowLastError("tdb_chainunlock", Marshal.GetLastPInvokeError());
            }
        }
    }

    /// <summary>tdb_lockall: every hash chain and the free list (what freezing a database for recovery needs).</summary>
    public void LockAll()
    {
        if (Interop.LibTdb.tdb_lockall(_handle) != 0)
        {
            ThrowLastError("tdb_lockall", Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>tdb_lockall_nonblock: false when some chain is held by another process.</summary>
    public bool TryLockAll() =>
        Interop.LibTdb.tdb_lockall_nonblock(_handle) == 0 || Contended("tdb_lockall_nonblock", Marshal.GetLastPInvokeError());

    /// <summary>tdb_unlockall.</summary>
    public void UnlockAll()
    {
        if (Interop.LibTdb.tdb_unlockall(_handle) != 0)
        {
            ThrowLastError("tdb_unlockall", Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>After a failed non-blocking lock: false for "held by someone else", throws for real errors.</summary>
    private bool Contended(string operation, int errno)
    {
        if (LastError is TdbError.Lock or TdbError.LockTimeout)
        {
            return false;
        }
        ThrowLastError(operation, errno);
        return false;
    }
}
