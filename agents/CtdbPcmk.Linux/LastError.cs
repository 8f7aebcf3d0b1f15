// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux;

/// <summary>The errno of the last P/Invoke declared with SetLastError, read on the same thread.</summary>
public static class LastError
{
    /// <summary>The errno value.</summary>
    public static Errno Errno => (Errno)Marshal.GetLastPInvokeError();

    /// <summary>
    /// An <see cref="IOException"/> for a failed <paramref name="operation"/> (for callers that
    /// handle every I/O failure alike), with the same message as <see cref="ErrnoException"/>.
    /// </summary>
    public static IOException AsIOException(string operation) =>
        new(ErrnoException.Describe(operation, Marshal.GetLastPInvokeError()));
}
