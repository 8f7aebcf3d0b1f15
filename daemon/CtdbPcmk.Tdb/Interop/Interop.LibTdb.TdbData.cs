// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Tdb;

internal static partial class Interop
{
    internal static partial class LibTdb
    {
        /// <summary>Mirrors TDB_DATA from tdb.h: { unsigned char *dptr; size_t dsize; }, 16 bytes on 64-bit.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal unsafe struct TDB_DATA
        {
            public byte* dptr;
            public nuint dsize;

            public TDB_DATA(byte* ptr, int length)
            {
                dptr = ptr;
                dsize = (nuint)length;
            }

            /// <summary>Views libtdb-owned bytes; valid only while libtdb guarantees the pointer.</summary>
            public readonly ReadOnlySpan<byte> AsSpan() => new(dptr, checked((int)dsize));
        }
    }
}
