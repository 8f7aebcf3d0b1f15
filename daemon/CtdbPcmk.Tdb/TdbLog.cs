// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Tdb;

/// <summary>
/// The log function handed to tdb_open_ex. libtdb's tdb_log_func is printf-style variadic and a
/// managed callee cannot walk a C va_list, so only the format template is read (the named third
/// argument, passed as for a non-variadic call on Linux x86-64/AArch64): messages carry libtdb's
/// wording, e.g. "tdb_open_ex: could not open file %s: %s", without the substituted values.
/// The failing path and errno are added separately by <see cref="TdbException"/>.
/// </summary>
internal static unsafe class TdbLog
{
    [ThreadStatic]
    private static string? s_lastMessage;

    public static Interop.LibTdb.tdb_logging_context Context => new()
    {
        log_fn = &Log,
        log_private = null,
    };

    /// <summary>Forgets earlier messages so that <see cref="TakeLast"/> reports only the next call's.</summary>
    public static void Reset() => s_lastMessage = null;

    public static string? TakeLast()
    {
        string? message = s_lastMessage;
        s_lastMessage = null;
        return message;
    }

    [UnmanagedCallersOnly]
    private static void Log(nint tdb, int level, byte* format)
    {
        // libtdb logs right after the failing system call and may read errno afterwards; managed
        // code here can clobber it, so it is restored before returning.
        int errno = Marshal.GetLastSystemError();
        try
        {
            string message = (Marshal.PtrToStringUTF8((nint)format) ?? "").TrimEnd('\n');
            if (level <= (int)TdbLogLevel.Error)
            {
                s_lastMessage = message;
            }
            TdbRuntime.LogHandler?.Invoke((TdbLogLevel)level, message);
        }
        catch (Exception)
        {
            // An exception must not unwind into libtdb's C frames; a lost log line is harmless.
        }
        Marshal.SetLastSystemError(errno);
    }
}
