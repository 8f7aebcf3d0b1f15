// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Linux;

namespace CtdbPcmk.Health;

/// <summary>
/// File system usage by statvfs, computed as df does: used blocks over the blocks an ordinary
/// user could have (used + available), so the root reserve counts as full. A file system that
/// takes no write is red whatever its usage: mounted read-only, or (as ext4 does after an error
/// since Linux 6.10, marking itself "emergency_ro" without the read-only flag) refusing to create
/// a file in the checked directory.
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
        if (path == limit.Path && Directory.Exists(path) && WriteProbe(path) is { } failure)
        {
            return HealthResult.Of(HealthColor.Red, $"file system of {limit.Path} takes no write: {failure}");
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

    /// <summary>Creates and removes an empty file in <paramref name="directory"/>; null when that worked, else why not.</summary>
    public static string? WriteProbe(string directory)
    {
        var probe = Path.Combine(directory, $".health-probe.{Environment.ProcessId}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
            return null;
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            // A probe left by a killed earlier run of this pid: remove it and count this check as a pass.
            if (File.Exists(probe))
            {
                try
                {
                    File.Delete(probe);
                    return null;
                }
                catch (IOException)
                {
                }
            }
            return e.Message;
        }
        catch (UnauthorizedAccessException e)
        {
            return e.Message;
        }
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
