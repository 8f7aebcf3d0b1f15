// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Server;

internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const int MADV_DONTNEED = 4;

        [LibraryImport(Lib, SetLastError = true)]
        internal static partial int madvise(nint addr, nuint length, int advice);
    }
}
