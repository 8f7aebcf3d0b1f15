// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Tdb;

internal static partial class Interop
{
    internal static partial class LibTdb
    {
        [LibraryImport(LibraryName)]
        internal static partial int tdb_chainlock(SafeTdbHandle tdb, TDB_DATA key);

        [LibraryImport(LibraryName)]
        internal static partial int tdb_chainlock_nonblock(SafeTdbHandle tdb, TDB_DATA key);

        [LibraryImport(LibraryName)]
        internal static partial int tdb_chainunlock(SafeTdbHandle tdb, TDB_DATA key);

        [LibraryImport(LibraryName)]
        internal static partial int tdb_lockall(SafeTdbHandle tdb);

        [LibraryImport(LibraryName)]
        internal static partial int tdb_lockall_nonblock(SafeTdbHandle tdb);

        [LibraryImport(LibraryName)]
        internal static partial int tdb_unlockall(SafeTdbHandle tdb);
    }
}
