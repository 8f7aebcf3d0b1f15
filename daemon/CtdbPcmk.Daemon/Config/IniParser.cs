// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Daemon.Config;

/// <summary>
/// Reads a ctdb.conf-style INI file into entries. Syntax only: which sections and keys are
/// meaningful is decided by <see cref="CtdbConf"/>.
/// </summary>
/// <remarks>
/// Accepted: blank lines; comments whose first non-blank character is <c>#</c> or <c>;</c>;
/// <c>[section]</c>; <c>key = value</c> where the key may contain spaces. Leading whitespace is
/// allowed everywhere because real ctdb.conf files indent options with tabs. Values are taken
/// verbatim (no inline comments): paths and lock commands may contain <c>#</c> or <c>;</c>.
/// </remarks>
internal static class IniParser
{
    /// <param name="sections">When given, a header naming any other section is an error (reported
    /// at the header, even when the section is empty).</param>
    public static IReadOnlyList<IniEntry> Parse(string file, string text, IReadOnlyCollection<string>? sections = null)
    {
        var entries = new List<IniEntry>();
        var seen = new Dictionary<(string, string), int>();
        string? section = null;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var lineNo = i + 1;
            var line = lines[i].TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#' || line[0] == ';')
                continue;
            if (line[0] == '[')
            {
                if (line[^1] != ']')
                    throw new ConfigError(file, lineNo, $"section header without closing ']': {line}");
                var name = NormaliseName(line[1..^1]);
                if (name.Length == 0)
                    throw new ConfigError(file, lineNo, "empty section name");
                if (sections is not null && !sections.Contains(name))
                    throw new ConfigError(file, lineNo, $"unknown section [{name}] (known: [{string.Join("], [", sections)}])");
                section = name;
                continue;
            }
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
                throw new ConfigError(file, lineNo, $"expected '[section]' or 'key = value', got: {line}");
            var key = NormaliseName(line[..eq]);
            if (key.Length == 0)
                throw new ConfigError(file, lineNo, "missing key before '='");
            if (section is null)
                throw new ConfigError(file, lineNo, $"option '{key}' is outside any section");
            if (seen.TryGetValue((section, key), out var first))
                throw new ConfigError(file, lineNo, $"duplicate option '{key}' in [{section}] (first set at line {first})");
            seen.Add((section, key), lineNo);
            entries.Add(new IniEntry(section, key, line[(eq + 1)..].Trim(), lineNo));
        }
        return entries;
    }

    /// <summary>Lower case with runs of whitespace collapsed, so "Node   Address" matches "node address".</summary>
    private static string NormaliseName(string raw) =>
        string.Join(' ', raw.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
}
