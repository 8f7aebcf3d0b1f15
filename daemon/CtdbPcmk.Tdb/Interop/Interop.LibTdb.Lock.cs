// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Tdb;

internal static partial class Interop
{
    internal static partial class LibTdb
    {
        // errno is kept because some failures (e.g. unlocking a robust mutex from a thread that
        // does not own it) leave tdb's own error code untouched.
        [LibraryImport(LibraryName, SetLastError = true)]
        internal static partial int tdb_chainlock(SafeTdbHandle tdb, TDB_DATA key);

        [LibraryImport(LibraryName, SetLastError = true)]
        internal static partial int tdb_chainlock_nonblock(SafeTdbHandle tdb, TDB_DATA key);

        [LibraryImport(LibraryName, SetLastError = true)]
        internal static partial int tdb_chainunlock(SafeTdbHandle tdb, TDB_DATA key);

        [LibraryImport(LibraryName, SetLastError = true)]
        internal static partial int tdb_lockall(SafeTdbHandle tdb);

        [LibraryImport(LibraryName, SetLastError = true)]
        internal static partial int tdb_lockall_nonblock(SafeTdbHandle tdb);

        [LibraryImport(LibraryName, SetLastError = true)]
        internal static partial int tdb_unlockall(SafeTdbHandle tdb);
    }
}
