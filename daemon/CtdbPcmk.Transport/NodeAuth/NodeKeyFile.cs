// SPDX-License-Identifier: GPL-3.0-or-later
using Microsoft.Win32.SafeHandles;

namespace CtdbPcmk.Transport.NodeAuth;

/// <summary>
/// Reads a node key file (ctdb.conf <c>[cluster] node key file</c>): one key per line, as
/// base64 of at least <see cref="NodeKey.MinimumLength"/> bytes, optionally preceded by a label
/// and a space; blank lines and lines starting with '#' are ignored; one or two keys. The file
/// must be a regular file that only its owner may access (mode 0600 or 0400), since anyone who
/// reads it can act as a node.
/// </summary>
internal static class NodeKeyFile
{
    /// <summary>More than a few lines of keys is not a key file.</summary>
    private const long MaximumSize = 64 * 1024;

    /// <summary>Throws <see cref="NodeKeyFileException"/> naming the file (and line) for every reason it cannot be used.</summary>
    public static NodeKeySet Load(string path)
    {
        string text;
        try
        {
            using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
            // Checked on the opened file, so a file swapped after the check cannot slip through.
            var mode = File.GetUnixFileMode(handle);
            const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
                UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
            if ((mode & others) != 0)
            {
                throw new NodeKeyFileException(path, 0,
                    $"node key file is accessible to group or others (mode {Octal(mode)}); it must be 0600 or 0400");
            }
            long length = RandomAccess.GetLength(handle);
            if (length > MaximumSize)
            {
                throw new NodeKeyFileException(path, 0, $"node key file is {length} bytes, not a key file (at most {MaximumSize})");
            }
            var bytes = new byte[length];
            int read = RandomAccess.Read(handle, bytes, 0);
            text = System.Text.Encoding.UTF8.GetString(bytes, 0, read);
        }
        catch (FileNotFoundException)
        {
            throw new NodeKeyFileException(path, 0, "node key file does not exist");
        }
        catch (DirectoryNotFoundException)
        {
            throw new NodeKeyFileException(path, 0, "node key file does not exist");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new NodeKeyFileException(path, 0, $"cannot read node key file: {e.Message}");
        }
        catch (IOException e)
        {
            throw new NodeKeyFileException(path, 0, $"cannot read node key file: {e.Message}");
        }
        return Parse(path, text);
    }

    /// <summary>Parses already read text; <paramref name="path"/> is used in messages.</summary>
    public static NodeKeySet Parse(string path, string text)
    {
        var keys = new List<NodeKey>(NodeKeySet.MaximumKeys);
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            int line = i + 1;
            var content = lines[i].Trim();
            if (content.Length == 0 || content[0] == '#')
            {
                continue;
            }
            var words = content.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length > 2)
            {
                throw new NodeKeyFileException(path, line, "expected a key in base64, optionally preceded by a label");
            }
            string label = words.Length == 2 ? words[0] : $"key {keys.Count + 1}";
            string encoded = words[^1];
            if (words.Length == 2 && !IsLabel(label))
            {
                throw new NodeKeyFileException(path, line, $"invalid key label '{label}' (letters, digits, '.', '_', '-', at most 32)");
            }
            var secret = new byte[(encoded.Length * 3 / 4) + 3];
            if (!Convert.TryFromBase64String(encoded, secret, out int size))
            {
                throw new NodeKeyFileException(path, line, "key is not valid base64");
            }
            if (size < NodeKey.MinimumLength)
            {
                throw new NodeKeyFileException(path, line,
                    $"key is too short: {size} bytes, at least {NodeKey.MinimumLength} needed (32 recommended)");
            }
            if (keys.Count == NodeKeySet.MaximumKeys)
            {
                throw new NodeKeyFileException(path, line,
                    $"more than {NodeKeySet.MaximumKeys} keys (the current key and, during a roll, one more)");
            }
            var key = new NodeKey(label, secret.AsSpan(0, size).ToArray());
            if (keys.Exists(k => k.Id == key.Id))
            {
                throw new NodeKeyFileException(path, line, "the same key appears twice");
            }
            keys.Add(key);
        }
        if (keys.Count == 0)
        {
            throw new NodeKeyFileException(path, 0, "node key file holds no key");
        }
        return new NodeKeySet(keys);
    }

    private static bool IsLabel(string s)
    {
        if (s.Length is 0 or > 32)
        {
            return false;
        }
        foreach (char c in s)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return false;
            }
        }
        return true;
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode & 0x1ff, 8).PadLeft(4, '0');
}
