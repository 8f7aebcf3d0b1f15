// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Server;

/// <summary>The errno values the transport distinguishes.</summary>
internal static class Errno
{
    public const int EPERM = 1;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int EINPROGRESS = 115;
    public const int ECONNRESET = 104;
    public const int ECONNREFUSED = 111;

    public static int Last => Marshal.GetLastPInvokeError();

    public static IOException Exception(string what) =>
        new($"{what}: {Marshal.GetPInvokeErrorMessage(Last)} (errno {Last})");
}
