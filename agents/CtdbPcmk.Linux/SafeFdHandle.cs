// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux;

/// <summary>An owned file descriptor, closed exactly once with close(2).</summary>
public sealed class SafeFdHandle : SafeHandle
{
    /// <summary>Creates an invalid handle (the marshaller fills it in).</summary>
    public SafeFdHandle()
        : base(-1, ownsHandle: true)
    {
    }

    /// <summary>Takes ownership of <paramref name="fd"/>.</summary>
    public SafeFdHandle(int fd)
        : base(-1, ownsHandle: true) => SetHandle(fd);

    /// <inheritdoc/>
    public override bool IsInvalid => handle < 0;

    /// <summary>The raw descriptor; valid while this handle is open.</summary>
    public int Fd => (int)handle;

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => Interop.Libc.close((int)handle) == 0;
}
