// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Health;

/// <summary>
/// File system usage by statvfs, computed as df does: used blocks over the blocks an ordinary
/// user could have (used + available), so the root reserve counts as full.
/// </summary>
public static partial class FilesystemCheck
{
    /// <summary>Checks the file system holding each path.</summary>
    public static HealthResult Run(IEnumerable<FilesystemLimit> limits) =>
        HealthResult.Combine(limits.Select(Run));

    /// <summary>
    /// Checks the file system holding <paramref name="limit"/>'s path; a path that does not exist
    /// yet is checked on its nearest existing parent (where it would be created).
    /// </summary>
    public static HealthResult Run(FilesystemLimit limit)
    {
        var path = ExistingAncestor(limit.Path);
        if (Usage(path) is not double used)
        {
            return HealthResult.Of(HealthColor.Yellow, $"cannot check the file system of {limit.Path}");
        }
        return limit.Limits.Result($"file system of {limit.Path}", used);
    }

    /// <summary>Percent in use of the file system holding <paramref name="path"/>, or null.</summary>
    public static double? Usage(string path)
    {
        if (StatVfs(path, out var s) != 0)
        {
            return null;
        }
        return UsedPercent(s.Blocks, s.Free, s.Available);
    }

    /// <summary>df's Use%: (blocks - free) / (blocks - free + available).</summary>
    public static double? UsedPercent(ulong blocks, ulong free, ulong available)
    {
        if (blocks == 0 || free > blocks)
        {
            return null;
        }
        var used = blocks - free;
        var usable = used + available;
        return usable == 0 ? 0 : used * 100.0 / usable;
    }

    private static string ExistingAncestor(string path)
    {
        var current = path;
        while (!Directory.Exists(current) && !File.Exists(current))
        {
            var parent = Path.GetDirectoryName(current);
            if (string.IsNullOrEmpty(parent))
            {
                return "/";
            }
            current = parent;
        }
        return current;
    }

    /// <summary>struct statvfs on 64-bit Linux (112 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct StatVfsBuffer
    {
        public ulong BlockSize;
        public ulong FragmentSize;
        public ulong Blocks;
        public ulong Free;
        public ulong Available;
        public ulong Files;
        public ulong FreeFiles;
        public ulong AvailableFiles;
        public ulong FsId;
        public ulong Flags;
        public ulong NameMax;
        public ulong Spare0;
        public ulong Spare1;
        public ulong Spare2;
    }

    [LibraryImport("libc", EntryPoint = "statvfs", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int StatVfs(string path, out StatVfsBuffer buffer);
}
