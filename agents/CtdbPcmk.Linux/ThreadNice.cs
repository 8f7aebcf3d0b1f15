// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux;

/// <summary>The calling thread's scheduling weight (its nice value; Linux keeps one per thread).</summary>
public static class ThreadNice
{
    /// <summary>
    /// Sets the calling thread's nice value (-20 to 19; below 0 needs CAP_SYS_NICE). Returns the
    /// errno on failure, 0 on success: callers for whom it is only an advantage go on either way.
    /// </summary>
    public static int TrySet(int nice)
    {
        int tid = Interop.Libc.gettid();
        return Interop.Libc.setpriority(Interop.Libc.PRIO_PROCESS, tid, nice) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }
}
