// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;

namespace CtdbPcmk.Health;

/// <summary>A path whose file system is checked, with its limits.</summary>
public sealed record FilesystemLimit(string Path, Thresholds Limits)
{
    /// <summary>
    /// Parses "PATH[:WARN[:CRITICAL]],..." (ctdb's CTDB_MONITOR_FILESYSTEM_USAGE entries, comma
    /// separated). A missing WARN or CRITICAL takes the defaults given.
    /// </summary>
    public static IReadOnlyList<FilesystemLimit> ParseList(string text, Thresholds defaults)
    {
        var list = new List<FilesystemLimit>();
        foreach (var entry in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split(':');
            if (parts.Length > 3 || parts[0].Length == 0 || parts[0][0] != '/')
            {
                throw new FormatException($"'{entry}' is not PATH[:WARN[:CRITICAL]] with an absolute PATH");
            }
            var warn = parts.Length > 1 ? Percent(parts[1], entry) : defaults.Warn;
            var critical = parts.Length > 2 ? Percent(parts[2], entry) : defaults.Critical;
            list.Add(new FilesystemLimit(parts[0], Thresholds.Create(warn, critical)));
        }
        return list;
    }

    private static int Percent(string text, string entry) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 100
            ? n
            : throw new FormatException($"'{entry}': '{text}' is not a percentage 0-100");
}
