// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Tdb;

internal static partial class Interop
{
    internal static partial class LibTdb
    {
        /// <summary>The returned dptr is malloc'ed by libtdb and owned by the caller (see <see cref="TdbMallocData"/>).</summary>
        [LibraryImport(LibraryName)]
        internal static partial TDB_DATA tdb_fetch(SafeTdbHandle tdb, TDB_DATA key);

        /// <summary>The parser sees libtdb's own buffer (often the mmap) and must copy what it keeps.</summary>
        [LibraryImport(LibraryName)]
        internal static unsafe partial int tdb_parse_record(
            SafeTdbHandle tdb, TDB_DATA key,
            delegate* unmanaged<TDB_DATA, TDB_DATA, void*, int> parser, void* private_data);

        [LibraryImport(LibraryName)]
        internal static partial int tdb_exists(SafeTdbHandle tdb, TDB_DATA key);

        [LibraryImport(LibraryName)]
        internal static partial int tdb_store(SafeTdbHandle tdb, TDB_DATA key, TDB_DATA dbuf, int flag);

        [LibraryImport(LibraryName)]
        internal static unsafe partial int tdb_storev(
            SafeTdbHandle tdb, TDB_DATA key, TDB_DATA* dbufs, int num_dbufs, int flag);

        [LibraryImport(LibraryName)]
        internal static partial int tdb_delete(SafeTdbHandle tdb, TDB_DATA key);
    }
}
