// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Tdb;

internal static partial class Interop
{
    internal static partial class LibTdb
    {
        [LibraryImport(LibraryName)]
        internal static partial int tdb_get_flags(SafeTdbHandle tdb);

        [LibraryImport(LibraryName)]
        internal static partial int tdb_hash_size(SafeTdbHandle tdb);

        [LibraryImport(LibraryName)]
        internal static partial int tdb_get_seqnum(SafeTdbHandle tdb);

        [LibraryImport(LibraryName)]
        internal static partial void tdb_enable_seqnum(SafeTdbHandle tdb);

        [LibraryImport(LibraryName)]
        internal static partial void tdb_increment_seqnum_nonblock(SafeTdbHandle tdb);

        [LibraryImport(LibraryName)]
        internal static unsafe partial uint tdb_jenkins_hash(TDB_DATA* key);

        /// <summary>C bool (one byte). Forks a short-lived child to probe the mutexes: call once.</summary>
        [LibraryImport(LibraryName)]
        internal static partial byte tdb_runtime_check_for_robust_mutexes();
    }
}
