// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using CtdbPcmk.Linux;

namespace CtdbPcmk.Server.Databases;

/// <summary>
/// Drops this process's resident pages of a TDB file's shared mappings. libtdb maps every
/// file whole, and a volatile file with mutex locking starts with a ~4 MB mutex area that the
/// creating process has touched; smbd works on the file through its own mappings, so the
/// daemon does not need those pages resident. For a MAP_SHARED file mapping MADV_DONTNEED only
/// unmaps the pages from this process: the data stays in the file and the page cache, and a
/// later access faults the same pages back in. Call it only while this process holds no lock
/// in the file (the loop thread between events).
/// </summary>
internal static class MappingTrimmer
{
    public static long Trim(string path)
    {
        long released = 0;
        string full = Path.GetFullPath(path);
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            // start-end perms offset dev inode path
            int slash = line.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0 || !line.AsSpan(slash).SequenceEqual(full))
            {
                continue;
            }
            int dash = line.IndexOf('-', StringComparison.Ordinal);
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            if (dash < 0 || space < dash || line.Length < space + 5 || line[space + 4] != 's')
            {
                continue; // only shared mappings: a private mapping's pages are its only copy
            }
            long start = long.Parse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            long end = long.Parse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (Interop.Libc.madvise((nint)start, (nuint)(end - start), Interop.Libc.MADV_DONTNEED) == 0)
            {
                released += end - start;
            }
        }
        return released;
    }
}
