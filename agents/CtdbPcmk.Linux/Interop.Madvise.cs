// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux;

internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const int MADV_DONTNEED = 4;

        [LibraryImport(Name, SetLastError = true)]
        internal static partial int madvise(nint addr, nuint length, int advice);
    }
}
