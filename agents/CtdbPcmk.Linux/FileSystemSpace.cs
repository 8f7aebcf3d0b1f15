// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Linux;

/// <summary>Block counts of a file system, as statvfs(3) reports them (in fragment-size units).</summary>
/// <param name="Blocks">Size of the file system (f_blocks).</param>
/// <param name="Free">Free blocks, the root reserve included (f_bfree).</param>
/// <param name="Available">Free blocks an unprivileged user may use (f_bavail).</param>
/// <param name="ReadOnly">Mounted read-only (ST_RDONLY in f_flag), as ext4 remounts itself on an error with errors=remount-ro.</param>
public readonly record struct FileSystemSpace(ulong Blocks, ulong Free, ulong Available, bool ReadOnly = false)
{
    private const ulong StReadOnly = 1;

    /// <summary>The counts of the file system holding <paramref name="path"/>, or null when statvfs fails.</summary>
    public static FileSystemSpace? Of(string path) =>
        Interop.Libc.statvfs(path, out var s) == 0 ? new FileSystemSpace(s.f_blocks, s.f_bfree, s.f_bavail, (s.f_flag & StReadOnly) != 0) : null;
}
