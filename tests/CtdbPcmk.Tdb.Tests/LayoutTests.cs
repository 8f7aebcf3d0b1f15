// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CtdbPcmk.Tdb.Tests;

/// <summary>The hand-written interop structs match tdb.h on this 64-bit Linux.</summary>
public sealed class LayoutTests
{
    [Fact]
    public void TdbDataIsPointerThenSize()
    {
        Assert.Equal(8, IntPtr.Size);
        Assert.Equal(16, Unsafe.SizeOf<Interop.LibTdb.TDB_DATA>());
        Assert.Equal(0, (int)Marshal.OffsetOf<Interop.LibTdb.TDB_DATA>(nameof(Interop.LibTdb.TDB_DATA.dptr)));
        Assert.Equal(8, (int)Marshal.OffsetOf<Interop.LibTdb.TDB_DATA>(nameof(Interop.LibTdb.TDB_DATA.dsize)));
    }

    [Fact]
    public void LoggingContextIsTwoPointers()
    {
        Assert.Equal(16, Unsafe.SizeOf<Interop.LibTdb.tdb_logging_context>());
        Assert.Equal(8, (int)Marshal.OffsetOf<Interop.LibTdb.tdb_logging_context>(nameof(Interop.LibTdb.tdb_logging_context.log_private)));
    }
}
