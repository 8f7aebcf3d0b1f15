// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Tdb;

internal static partial class Interop
{
    internal static partial class LibTdb
    {
        /// <summary>The file descriptor of an open database (for the byte locks libtdb also takes).</summary>
        [LibraryImport(LibraryName)]
        internal static partial int tdb_fd(SafeTdbHandle tdb);
    }
}
