// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Tdb;

internal static partial class Interop
{
    internal static partial class LibTdb
    {
        /// <summary>Mirrors struct tdb_logging_context; libtdb copies it during tdb_open_ex.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal unsafe struct tdb_logging_context
        {
            // Declared in tdb.h as variadic (ctx, level, fmt, ...). The callee only reads the three
            // named arguments, which the Linux x86-64 and AArch64 calling conventions pass exactly
            // as for a non-variadic call; the variadic arguments are never touched.
            public delegate* unmanaged<nint, int, byte*, void> log_fn;
            public void* log_private;
        }

        // hash_fn is always null: libtdb then picks the hash the file header (or
        // TDB_INCOMPATIBLE_HASH) asks for, which is what smbd does too.
        [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        internal static unsafe partial SafeTdbHandle tdb_open_ex(
            string name, int hash_size, int tdb_flags, int open_flags, uint mode,
            tdb_logging_context* log_ctx, void* hash_fn);

        [LibraryImport(LibraryName)]
        internal static partial int tdb_close(nint tdb);
    }
}
