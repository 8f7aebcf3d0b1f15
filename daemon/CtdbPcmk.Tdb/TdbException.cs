// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Tdb;

/// <summary>A libtdb call failed. Carries the TDB_ERROR code, libtdb's own text and the file.</summary>
public sealed class TdbException : Exception
{
    public TdbException() { }

    public TdbException(string message) : base(message) { }

    public TdbException(string message, Exception inner) : base(message, inner) { }

    public TdbException(string message, TdbError error, string path, int errno = 0) : base(message)
    {
        Error = error;
        Path = path;
        Errno = errno;
    }

    /// <summary>The TDB_ERROR code (for a failed open: derived from errno).</summary>
    public TdbError Error { get; }

    /// <summary>The database file the call was made on.</summary>
    public string Path { get; } = "";

    /// <summary>The errno of a failed open; 0 when libtdb reported only a TDB_ERROR.</summary>
    public int Errno { get; }
}
