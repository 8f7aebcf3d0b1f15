// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Tdb;

// A frozen database: this handle holds the whole-file lock (every chain, so other processes
// wait) and runs a transaction under it. libtdb refuses to start a transaction while the
// handle holds locks, so the lock is unmarked (kept, but forgotten by the handle's bookkeeping)
// and the transaction runs with TDB_NOLOCK: its own lock calls would only conflict with the
// lock this process already holds.
//
// TDB_NOLOCK also drops the one lock a commit needs against other processes: libtdb's commit
// holds the open lock (byte 0) so that nobody opens the file meanwhile, because tdb_open replays
// a valid recovery record, taking its writer for dead, and would undo half of a live commit. The
// frozen commit takes that lock itself.
public sealed partial class TdbFile
{
    private const long OpenLockOffset = 0;

    /// <summary>Starts a transaction while holding the lock taken by <see cref="TryLockAll"/>.</summary>
    public void FrozenTransactionStart()
    {
        Check(Interop.LibTdb.tdb_lockall_unmark(_handle), "tdb_lockall_unmark");
        Interop.LibTdb.tdb_add_flags(_handle, (uint)TdbFlags.NoLock);
        int rc = Interop.LibTdb.tdb_transaction_start(_handle);
        Interop.LibTdb.tdb_remove_flags(_handle, (uint)TdbFlags.NoLock);
        if (rc != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            Interop.LibTdb.tdb_lockall_mark(_handle);
            ThrowLastError("tdb_transaction_start", errno);
        }
    }

    /// <summary>Commits a transaction begun by <see cref="FrozenTransactionStart"/>; the lock stays held.</summary>
    public void FrozenTransactionCommit()
    {
        int fd = Interop.LibTdb.tdb_fd(_handle);
        OpenLock(fd, locked: true);
        Interop.LibTdb.tdb_add_flags(_handle, (uint)TdbFlags.NoLock);
        int rc = Interop.LibTdb.tdb_transaction_commit(_handle);
        // The errno of the failed write (e.g. ENOSPC), before the calls below can change it.
        int errno = rc != 0 ? Marshal.GetLastPInvokeError() : 0;
        Interop.LibTdb.tdb_remove_flags(_handle, (uint)TdbFlags.NoLock);
        // Committed or not, the transaction is over: the handle holds the whole-file lock again.
        Interop.LibTdb.tdb_lockall_mark(_handle);
        OpenLock(fd, locked: false);
        if (rc != 0)
        {
            ThrowLastError("tdb_transaction_commit", errno);
        }
    }

    /// <summary>Cancels a transaction begun by <see cref="FrozenTransactionStart"/>; the lock stays held.</summary>
    public void FrozenTransactionCancel()
    {
        Interop.LibTdb.tdb_add_flags(_handle, (uint)TdbFlags.NoLock);
        int rc = Interop.LibTdb.tdb_transaction_cancel(_handle);
        Interop.LibTdb.tdb_remove_flags(_handle, (uint)TdbFlags.NoLock);
        Interop.LibTdb.tdb_lockall_mark(_handle);
        if (rc != 0)
        {
            ThrowLastError("tdb_transaction_cancel");
        }
    }

    /// <summary>Takes (waiting for openers to finish) or drops the open lock.</summary>
    private void OpenLock(int fd, bool locked)
    {
        try
        {
            CtdbPcmk.Linux.FileLock.SetRange(fd, OpenLockOffset, 1, locked);
        }
        catch (CtdbPcmk.Linux.ErrnoException e)
        {
            throw new TdbException($"the open lock of {Path}: {e.Message}", TdbError.Lock, Path, (int)e.Errno);
        }
    }

    private void Check(int rc, string operation)
    {
        if (rc != 0)
        {
            ThrowLastError(operation, Marshal.GetLastPInvokeError());
        }
    }
}
