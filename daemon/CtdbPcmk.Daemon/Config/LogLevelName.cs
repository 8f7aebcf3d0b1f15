// SPDX-License-Identifier: GPL-3.0-or-later
using Serilog.Events;

namespace CtdbPcmk.Daemon.Config;

/// <summary>ctdb debug levels (names or their numbers 0-4) and their Serilog equivalents.</summary>
internal static class LogLevelName
{
    private static readonly string[] s_names = ["ERROR", "WARNING", "NOTICE", "INFO", "DEBUG"];

    /// <summary>
    /// ERROR and WARNING keep their meaning; NOTICE, ctdb's default, is Serilog's Information
    /// (the level of ordinary operational messages); INFO and DEBUG are the two chattier levels.
    /// </summary>
    private static readonly LogEventLevel[] s_levels =
        [LogEventLevel.Error, LogEventLevel.Warning, LogEventLevel.Information, LogEventLevel.Debug, LogEventLevel.Verbose];

    public static bool TryParse(string text, out LogEventLevel level)
    {
        var t = text.Trim();
        var index = Array.FindIndex(s_names, n => string.Equals(n, t, StringComparison.OrdinalIgnoreCase));
        if (index < 0 && t.Length == 1 && t[0] is >= '0' and <= '4')
            index = t[0] - '0';
        level = index >= 0 ? s_levels[index] : default;
        return index >= 0;
    }

    public static string Describe => string.Join(", ", s_names) + " or 0-4";
}
