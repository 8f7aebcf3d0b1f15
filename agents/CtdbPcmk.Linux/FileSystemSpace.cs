// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Linux;

/// <summary>Block counts of a file system, as statvfs(3) reports them (in fragment-size units).</summary>
/// <param name="Blocks">Size of the file system (f_blocks).</param>
/// <param name="Free">Free blocks, the root reserve included (f_bfree).</param>
/// <param name="Available">Free blocks an unprivileged user may use (f_bavail).</param>
public readonly record struct FileSystemSpace(ulong Blocks, ulong Free, ulong Available)
{
    /// <summary>The counts of the file system holding <paramref name="path"/>, or null when statvfs fails.</summary>
    public static FileSystemSpace? Of(string path) =>
        Interop.Libc.statvfs(path, out var s) == 0 ? new FileSystemSpace(s.f_blocks, s.f_bfree, s.f_bavail) : null;
}
