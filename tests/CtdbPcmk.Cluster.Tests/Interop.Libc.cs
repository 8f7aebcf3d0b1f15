// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Cluster.Tests;

internal static partial class Interop
{
    /// <summary>The C library calls the tests need beyond what System.Diagnostics offers.</summary>
    internal static partial class Libc
    {
        public const int SigTerm = 15;

        /// <summary>kill(2): smbd must get SIGTERM to stop its children itself (Process.Kill sends SIGKILL).</summary>
        [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static partial int Kill(int pid, int signal);
    }
}
