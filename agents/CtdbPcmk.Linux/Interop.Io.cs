// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux;

internal static partial class Interop
{
    internal static unsafe partial class Libc
    {
        [LibraryImport(Name, SetLastError = true)]
        internal static partial nint read(int fd, byte* buf, nint count);

        [LibraryImport(Name, SetLastError = true)]
        internal static partial nint write(int fd, byte* buf, nint count);
    }
}
