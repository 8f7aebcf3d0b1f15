// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;

namespace CtdbPcmk.Linux;

/// <summary>
/// An agent's state file: lines of "key=value", written to a temporary file and renamed, so a
/// reader never sees half of one; read back into the agent's own record.
/// </summary>
public static class StateFile
{
    /// <summary>The key/value lines of <paramref name="text"/>; <see cref="InvalidDataException"/> for a line without '='.</summary>
    public static Dictionary<string, string> ParseValues(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new InvalidDataException($"bad line '{line}'");
            }
            values[line[..eq]] = line[(eq + 1)..];
        }
        return values;
    }

    /// <summary>A process recorded as "PID STARTTIME".</summary>
    public static TrackedProcess ParseProcess(string recorded)
    {
        var parts = recorded.Split(' ');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            throw new InvalidDataException($"bad process '{recorded}'");
        }
        return new TrackedProcess(pid, start);
    }

    /// <summary>How <see cref="ParseProcess"/> reads it back.</summary>
    public static string Format(TrackedProcess process) =>
        string.Create(CultureInfo.InvariantCulture, $"{process.Pid} {process.StartTime}");

    /// <summary>
    /// Reads and parses the file; null when there is none, <see cref="InvalidDataException"/>
    /// naming the file when it is damaged.
    /// </summary>
    public static T? Load<T>(string path, Func<string, T> parse)
        where T : class
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        try
        {
            return parse(text);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"state file {path} is damaged: {e.Message}", e);
        }
    }

    /// <summary>Writes the file in one step (its directory is made when missing).</summary>
    public static void Save(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".new";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
