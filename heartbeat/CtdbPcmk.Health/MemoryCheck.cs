// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;

namespace CtdbPcmk.Health;

/// <summary>
/// Memory usage from /proc/meminfo as ctdb's 05.system computes it: the share of MemTotal that
/// is not MemAvailable. Kernels without MemAvailable (before 3.14) count MemFree, Buffers and
/// Cached as available.
/// </summary>
public static class MemoryCheck
{
    /// <summary>The kernel's file.</summary>
    public const string ProcMeminfo = "/proc/meminfo";

    /// <summary>Reads <paramref name="path"/> and evaluates it.</summary>
    public static HealthResult Run(Thresholds limits, string path = ProcMeminfo)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return HealthResult.Of(HealthColor.Yellow, $"cannot read {path}: {e.GetType().Name}");
        }
        return Evaluate(text, limits);
    }

    /// <summary>Evaluates meminfo text against the limits.</summary>
    public static HealthResult Evaluate(string meminfo, Thresholds limits)
    {
        if (UsedPercent(meminfo) is not double used)
        {
            return HealthResult.Of(HealthColor.Yellow, "memory usage unknown: MemTotal or MemAvailable missing in meminfo");
        }
        return limits.Result("memory", used);
    }

    /// <summary>Percent of memory in use, or null when the text lacks the fields.</summary>
    public static double? UsedPercent(string meminfo)
    {
        var fields = Parse(meminfo);
        if (!fields.TryGetValue("MemTotal", out var total) || total == 0)
        {
            return null;
        }
        ulong available;
        if (!fields.TryGetValue("MemAvailable", out available))
        {
            if (!fields.TryGetValue("MemFree", out var free))
            {
                return null;
            }
            available = free + fields.GetValueOrDefault("Buffers") + fields.GetValueOrDefault("Cached");
        }
        available = Math.Min(available, total);
        return (total - available) * 100.0 / total;
    }

    /// <summary>"Name:   value kB" lines to kB values (unparsable lines are skipped).</summary>
    internal static Dictionary<string, ulong> Parse(string meminfo)
    {
        var fields = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var line in meminfo.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }
            var rest = line[(colon + 1)..].Trim();
            var space = rest.IndexOf(' ', StringComparison.Ordinal);
            var number = space < 0 ? rest : rest[..space];
            if (ulong.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                fields[line[..colon].Trim()] = value;
            }
        }
        return fields;
    }
}
