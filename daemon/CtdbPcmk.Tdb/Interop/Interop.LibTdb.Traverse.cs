// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Tdb;

internal static partial class Interop
{
    internal static partial class LibTdb
    {
        // The callback receives the raw tdb_context pointer, not a handle: it is only passed
        // through, never used from managed code.
        [LibraryImport(LibraryName)]
        internal static unsafe partial int tdb_traverse(
            SafeTdbHandle tdb, delegate* unmanaged<nint, TDB_DATA, TDB_DATA, void*, int> fn, void* private_data);

        [LibraryImport(LibraryName)]
        internal static unsafe partial int tdb_traverse_read(
            SafeTdbHandle tdb, delegate* unmanaged<nint, TDB_DATA, TDB_DATA, void*, int> fn, void* private_data);
    }
}
