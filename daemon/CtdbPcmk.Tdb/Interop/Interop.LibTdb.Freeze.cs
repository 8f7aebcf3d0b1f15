// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Tdb;

internal static partial class Interop
{
    internal static partial class LibTdb
    {
        // Lock bookkeeping without touching the real locks: a handle that holds the whole-file
        // lock can start a transaction (which refuses to run with locks held) by unmarking it.
        [LibraryImport(LibraryName, SetLastError = true)]
        internal static partial int tdb_lockall_mark(SafeTdbHandle tdb);

        [LibraryImport(LibraryName, SetLastError = true)]
        internal static partial int tdb_lockall_unmark(SafeTdbHandle tdb);

        [LibraryImport(LibraryName)]
        internal static partial void tdb_add_flags(SafeTdbHandle tdb, uint flag);

        [LibraryImport(LibraryName)]
        internal static partial void tdb_remove_flags(SafeTdbHandle tdb, uint flag);
    }
}
