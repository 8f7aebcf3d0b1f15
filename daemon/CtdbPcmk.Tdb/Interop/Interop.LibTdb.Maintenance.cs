// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Tdb;

internal static partial class Interop
{
    internal static partial class LibTdb
    {
        /// <summary>With a null check function only the file structure is verified.</summary>
        [LibraryImport(LibraryName)]
        internal static unsafe partial int tdb_check(
            SafeTdbHandle tdb, delegate* unmanaged<TDB_DATA, TDB_DATA, void*, int> check, void* private_data);

        [LibraryImport(LibraryName)]
        internal static partial int tdb_wipe_all(SafeTdbHandle tdb);

        [LibraryImport(LibraryName)]
        internal static partial int tdb_repack(SafeTdbHandle tdb);

        [LibraryImport(LibraryName)]
        internal static partial int tdb_freelist_size(SafeTdbHandle tdb);
    }
}
