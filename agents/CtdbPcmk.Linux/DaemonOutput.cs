// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text;

namespace CtdbPcmk.Linux;

/// <summary>
/// The output file a <see cref="DaemonSpawner"/> daemon appends to, read back for an exit reason:
/// its length before a start, then what the daemon wrote since, on one line.
/// </summary>
public static class DaemonOutput
{
    /// <summary>The file's length now (0 when it does not exist or cannot be read).</summary>
    public static long Length(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists ? info.Length : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>
    /// What was written since <paramref name="offset"/>: the first two lines (the cause comes
    /// first; usage text may follow it) and the last one, joined on one line of at most 400 characters.
    /// </summary>
    public static string Since(string path, long offset)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var text = string.Join(" | ", lines.Length <= 3 ? lines : [lines[0], lines[1], "...", lines[^1]]);
            return text.Length > 400 ? text[..400] : text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
