// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Tdb;

public sealed partial class TdbFile
{
    /// <summary>tdb_transaction_start (blocks on the transaction lock).</summary>
    public void TransactionStart()
    {
        if (Interop.LibTdb.tdb_transaction_start(_handle) != 0)
        {
            ThrowLastError("tdb_transaction_start", Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>tdb_transaction_start_nonblock: false when another process holds the transaction lock.</summary>
    public bool TryTransactionStart() =>
        Interop.LibTdb.tdb_transaction_start_nonblock(_handle) == 0 || Contended("tdb_transaction_start_nonblock", Marshal.GetLastPInvokeError());

    /// <summary>
    /// tdb_transaction_commit. On failure libtdb has already cancelled the transaction; the
    /// exception carries the errno of the failed write (e.g. ENOSPC), which says more than
    /// libtdb's error code left behind by the cancel.
    /// </summary>
    public void TransactionCommit()
    {
        if (Interop.LibTdb.tdb_transaction_commit(_handle) != 0)
        {
            ThrowLastError("tdb_transaction_commit", Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>tdb_transaction_cancel.</summary>
    public void TransactionCancel()
    {
        if (Interop.LibTdb.tdb_transaction_cancel(_handle) != 0)
        {
            ThrowLastError("tdb_transaction_cancel");
        }
    }
}
