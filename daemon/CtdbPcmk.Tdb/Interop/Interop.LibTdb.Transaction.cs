// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Tdb;

internal static partial class Interop
{
    internal static partial class LibTdb
    {
        [LibraryImport(LibraryName, SetLastError = true)]
        internal static partial int tdb_transaction_start(SafeTdbHandle tdb);

        [LibraryImport(LibraryName, SetLastError = true)]
        internal static partial int tdb_transaction_start_nonblock(SafeTdbHandle tdb);

        [LibraryImport(LibraryName, SetLastError = true)]
        internal static partial int tdb_transaction_commit(SafeTdbHandle tdb);

        [LibraryImport(LibraryName)]
        internal static partial int tdb_transaction_cancel(SafeTdbHandle tdb);
    }
}
