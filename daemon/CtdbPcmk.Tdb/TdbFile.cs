// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace CtdbPcmk.Tdb;

/// <summary>
/// One open TDB file, through the system libtdb so that locking is compatible with smbd and the
/// other Samba tools opening the same file. Not thread-safe: use an instance from one thread
/// (the daemon's event loop). Disposing closes the file and releases every lock it holds.
/// </summary>
public sealed partial class TdbFile : IDisposable
{
    private readonly SafeTdbHandle _handle;

    private TdbFile(string path, SafeTdbHandle handle)
    {
        Path = path;
        _handle = handle;
    }

    /// <summary>The path the file was opened with.</summary>
    public string Path { get; }

    /// <summary>tdb_get_flags: the open flags plus those libtdb added (e.g. Seqnum after <see cref="EnableSeqnum"/>).</summary>
    public TdbFlags Flags => (TdbFlags)Interop.LibTdb.tdb_get_flags(_handle);

    /// <summary>tdb_hash_size: the number of hash chains in the file (from its header, not the open argument).</summary>
    public int HashSize => Interop.LibTdb.tdb_hash_size(_handle);

    /// <summary>
    /// tdb_open_ex. <paramref name="openFlags"/> and <paramref name="mode"/> are open(2)'s
    /// (e.g. O_RDWR|O_CREAT and 0600). Throws <see cref="TdbException"/> naming the path on failure.
    /// </summary>
    public static unsafe TdbFile Open(string path, int hashSize, TdbFlags flags, int openFlags, int mode)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("TDB path contains a NUL character", nameof(path));
        }
        Interop.LibTdb.tdb_logging_context log = TdbLog.Context;
        TdbLog.Reset();
        SafeTdbHandle handle = Interop.LibTdb.tdb_open_ex(path, hashSize, (int)flags, openFlags, (uint)mode, &log, null);
        if (handle.IsInvalid)
        {
            int errno = Marshal.GetLastPInvokeError();
            handle.Dispose();
            throw OpenFailed(path, errno, TdbLog.TakeLast());
        }
        TdbLog.Reset();
        return new TdbFile(path, handle);
    }

    public void Dispose() => _handle.Dispose();

    private static TdbException OpenFailed(string path, int errno, string? logged)
    {
        TdbError error = errno switch
        {
            12 => TdbError.OutOfMemory, // ENOMEM
            22 => TdbError.InvalidArgument, // EINVAL
            _ => TdbError.Io,
        };
        string reason = errno != 0 ? Marshal.GetPInvokeErrorMessage(errno) : "unknown error";
        string detail = logged is null ? "" : $" (libtdb: {logged})";
        return new TdbException($"tdb_open {path}: {reason}{detail}", error, path, errno);
    }

    /// <summary>The error libtdb recorded for the last failed call on this file.</summary>
    private TdbError LastError => Interop.LibTdb.tdb_error(_handle);

    /// <summary>
    /// Throws for the last failed call. libtdb does not reset its error code on success, so when a
    /// call fails without setting one the code may be stale; <paramref name="errno"/> (from imports
    /// declared with SetLastError) is added to the message for that reason.
    /// </summary>
    [DoesNotReturn]
    private void ThrowLastError(string operation, int errno = 0) => throw LastErrorException(operation, errno);

    private unsafe TdbException LastErrorException(string operation, int errno)
    {
        TdbError error = LastError;
        string text = error == TdbError.Success
            ? "failed without a libtdb error code"
            : Marshal.PtrToStringUTF8((nint)Interop.LibTdb.tdb_errorstr(_handle)) ?? error.ToString();
        string detail = errno != 0 ? $" (errno {errno}: {Marshal.GetPInvokeErrorMessage(errno)})" : "";
        return new TdbException($"{operation} {Path}: {text}{detail}", error, Path, errno);
    }
}
