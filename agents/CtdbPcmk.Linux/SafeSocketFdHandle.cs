// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux;

/// <summary>Owns a socket file descriptor returned by socket(2) and closes it on release.</summary>
public sealed class SafeSocketFdHandle : SafeHandle
{
    public SafeSocketFdHandle()
        : base(new IntPtr(-1), ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle.ToInt64() < 0;

    protected override bool ReleaseHandle() => Interop.Sockets.close((int)handle.ToInt64()) == 0;
}
