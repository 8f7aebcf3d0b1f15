// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Conformance.Tests;

internal static partial class Interop
{
    /// <summary>The C library calls the tests need beyond what System.Diagnostics offers.</summary>
    internal static partial class Libc
    {
        public const int SigTerm = 15;

        /// <summary>kill(2): Process.Kill only sends SIGKILL, but smbd must stop its children itself.</summary>
        [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static partial int Kill(int pid, int signal);
    }
}
