// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Tdb;

/// <summary>Raw entry points of the system libtdb, named as in tdb.h; one file per function family.</summary>
internal static partial class Interop
{
    internal static partial class LibTdb
    {
        // Debian 12 ships tdb 1.4.8 as libtdb.so.1; smbd links the same library, so locking
        // (fcntl byte ranges or robust mutexes in the mapped file) is compatible by construction.
        internal const string LibraryName = "libtdb.so.1";
    }
}
