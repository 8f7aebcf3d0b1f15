// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Tdb;

internal static partial class Interop
{
    internal static partial class LibTdb
    {
        [LibraryImport(LibraryName)]
        internal static partial TdbError tdb_error(SafeTdbHandle tdb);

        /// <summary>Returns a static string owned by libtdb: never freed.</summary>
        [LibraryImport(LibraryName)]
        internal static unsafe partial byte* tdb_errorstr(SafeTdbHandle tdb);
    }
}
