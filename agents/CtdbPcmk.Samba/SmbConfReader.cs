// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text;

namespace CtdbPcmk.Samba;

/// <summary>
/// Reads smb.conf the way Samba's loader does, without running testparm: "[section]" headers,
/// "name = value" lines, lines starting with ';' or '#' are comments (a ';' or '#' later on a line
/// is part of the value), a line ending in a backslash continues on the next one, blanks inside
/// a value collapse to one, and "include = FILE" reads FILE at that point (a missing file is
/// skipped, as Samba does). A relative include is taken relative to the including file.
/// Configuration kept in the registry ("config backend = registry", "include = registry") is
/// not readable here and is refused with a clear error.
/// </summary>
internal static class SmbConfReader
{
    /// <summary>Samba's own include depth limit.</summary>
    public const int MaxIncludeDepth = 100;

    private const string Registry = "registry";

    /// <summary>Reads <paramref name="path"/> and its includes from the file system.</summary>
    public static SmbConfFile Load(string path) => Load(path, ReadFile);

    /// <summary>
    /// Reads <paramref name="path"/> with <paramref name="readFile"/> returning a file's text, or
    /// null when it does not exist.
    /// </summary>
    public static SmbConfFile Load(string path, Func<string, string?> readFile)
    {
        var text = readFile(path) ?? throw new SmbConfException($"{path}: no such file");
        var conf = new SmbConfFile(path);
        var section = SmbConfFile.Global;
        Parse(conf, path, text, readFile, ref section, depth: 0);
        var backend = conf.GetGlobal("config backend");
        if (backend is not null && backend.Value.Trim().Equals(Registry, StringComparison.OrdinalIgnoreCase))
        {
            throw new SmbConfException(backend.File, backend.Line,
                "'config backend = registry' keeps the configuration in the registry, which this agent cannot read; use a file configuration");
        }
        return conf;
    }

    private static void Parse(SmbConfFile conf, string file, string text, Func<string, string?> readFile, ref string section, int depth)
    {
        foreach (var (line, number) in LogicalLines(text))
        {
            if (line[0] == '[')
            {
                var close = line.IndexOf(']', StringComparison.Ordinal);
                if (close < 0)
                {
                    throw new SmbConfException(file, number, $"section header '{line}' has no closing ']'");
                }
                var name = line[1..close].Trim();
                if (name.Length == 0)
                {
                    throw new SmbConfException(file, number, "empty section name");
                }
                section = name;
                conf.AddSection(section);
                continue;
            }
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new SmbConfException(file, number, $"expected '[section]' or 'name = value', found '{Shorten(line)}'");
            }
            var key = line[..eq].Trim();
            var value = line[(eq + 1)..].Trim();
            if (key.Length == 0)
            {
                throw new SmbConfException(file, number, "parameter without a name");
            }
            if (SmbConfFile.Normalize(key) == "include")
            {
                Include(conf, file, number, value, readFile, ref section, depth);
                continue;
            }
            conf.Set(section, new SmbConfValue(key, value, file, number));
        }
    }

    private static void Include(SmbConfFile conf, string file, int number, string target, Func<string, string?> readFile, ref string section, int depth)
    {
        if (target.Equals(Registry, StringComparison.OrdinalIgnoreCase))
        {
            throw new SmbConfException(file, number,
                "'include = registry' reads settings from the registry, which this agent cannot read; use a file configuration");
        }
        if (target.Length == 0)
        {
            throw new SmbConfException(file, number, "include without a file name");
        }
        if (target.Contains('%', StringComparison.Ordinal))
        {
            // %m, %I and the like are per client: the daemon-wide settings cannot depend on them.
            return;
        }
        if (depth + 1 > MaxIncludeDepth)
        {
            throw new SmbConfException(file, number, $"includes nested deeper than {MaxIncludeDepth} (an include loop?)");
        }
        var path = Path.IsPathRooted(target) ? target : Path.Combine(Path.GetDirectoryName(file) ?? "/", target);
        var text = readFile(path);
        if (text is null)
        {
            return;
        }
        Parse(conf, path, text, readFile, ref section, depth + 1);
    }

    /// <summary>
    /// The non-empty, non-comment lines with continuations joined and leading blanks removed,
    /// each with the number of the line it starts on.
    /// </summary>
    internal static IEnumerable<(string Line, int Number)> LogicalLines(string text)
    {
        var lines = text.Split('\n');
        var builder = new StringBuilder();
        var start = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var raw = lines[i].TrimEnd('\r');
            if (builder.Length == 0)
            {
                var content = raw.TrimStart(' ', '\t');
                if (content.Length == 0 || content[0] is '#' or ';')
                {
                    continue;
                }
                start = i + 1;
                raw = content;
            }
            // "\" or "\ " at the end continues the line (Samba collapses the blank first).
            var trimmed = raw.TrimEnd(' ', '\t');
            if (trimmed.EndsWith('\\'))
            {
                AppendCollapsed(builder, trimmed[..^1]);
                if (i + 1 < lines.Length)
                {
                    continue;
                }
            }
            else
            {
                AppendCollapsed(builder, raw);
            }
            var line = builder.ToString().Trim();
            builder.Clear();
            if (line.Length > 0)
            {
                yield return (line, start);
            }
        }
    }

    private static void AppendCollapsed(StringBuilder builder, string text)
    {
        foreach (var c in text)
        {
            var blank = c is ' ' or '\t';
            if (blank && builder.Length > 0 && builder[^1] == ' ')
            {
                continue;
            }
            builder.Append(blank ? ' ' : c);
        }
    }

    private static string Shorten(string line) => line.Length > 60 ? line[..60] + "..." : line;

    private static string? ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SmbConfException($"{path}: cannot read: {(e is UnauthorizedAccessException ? "permission denied" : e.Message)}");
        }
    }
}
