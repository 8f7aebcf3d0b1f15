// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Linux;

namespace CtdbPcmk.Health;

/// <summary>
/// File system usage by statvfs, computed as df does: used blocks over the blocks an ordinary
/// user could have (used + available), so the root reserve counts as full. A file system mounted
/// read-only is red whatever its usage: the databases on it cannot take a write.
/// </summary>
public static class FilesystemCheck
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
        if (FileSystemSpace.Of(path) is not { } space || UsedPercent(space.Blocks, space.Free, space.Available) is not double used)
        {
            return HealthResult.Of(HealthColor.Yellow, $"cannot check the file system of {limit.Path}");
        }
        if (space.ReadOnly)
        {
            return HealthResult.Of(HealthColor.Red, $"file system of {limit.Path} is read-only");
        }
        return limit.Limits.Result($"file system of {limit.Path}", used);
    }

    /// <summary>Percent in use of the file system holding <paramref name="path"/>, or null.</summary>
    public static double? Usage(string path)
    {
        if (FileSystemSpace.Of(path) is not { } s)
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
}
