// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux;

internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const int PRIO_PROCESS = 0;

        [LibraryImport(Name, SetLastError = true)]
        internal static partial int setpriority(int which, int who, int prio);

        [LibraryImport(Name)]
        internal static partial int gettid();
    }
}
