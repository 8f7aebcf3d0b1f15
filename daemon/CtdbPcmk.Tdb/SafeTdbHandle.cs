// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Tdb;

/// <summary>Owns one struct tdb_context; closing it (tdb_close) also drops every lock the handle holds.</summary>
internal sealed class SafeTdbHandle : SafeHandle
{
    // The LibraryImport marshaller creates the handle through this constructor and then sets it.
    public SafeTdbHandle() : base(nint.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle() => Interop.LibTdb.tdb_close(handle) == 0;
}
