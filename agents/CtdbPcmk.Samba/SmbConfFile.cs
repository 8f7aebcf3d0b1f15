// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Samba;

/// <summary>
/// A parsed smb.conf with its includes resolved: the parameters of each section, by name as
/// Samba compares them (see <see cref="Normalize"/>). A later setting overrides an earlier one,
/// as when smbd loads the file.
/// </summary>
internal sealed class SmbConfFile
{
    public const string Global = "global";

    private readonly Dictionary<string, Dictionary<string, SmbConfValue>> _sections = new(StringComparer.Ordinal);

    public SmbConfFile(string path)
    {
        Path = path;
    }

    /// <summary>The top-level file.</summary>
    public string Path { get; }

    /// <summary>Section names (normalised), in no particular order.</summary>
    public IEnumerable<string> Sections => _sections.Keys;

    /// <summary>A [global] parameter, or null when the files do not set it.</summary>
    public SmbConfValue? GetGlobal(string name) => Get(Global, name);

    /// <summary>A parameter of a section, or null.</summary>
    public SmbConfValue? Get(string section, string name) =>
        _sections.TryGetValue(Normalize(section), out var values) && values.TryGetValue(Normalize(name), out var v) ? v : null;

    internal void Set(string section, SmbConfValue value)
    {
        var key = Normalize(section);
        if (!_sections.TryGetValue(key, out var values))
        {
            values = new Dictionary<string, SmbConfValue>(StringComparer.Ordinal);
            _sections.Add(key, values);
        }
        values[Normalize(value.Name)] = value;
    }

    internal void AddSection(string section)
    {
        var key = Normalize(section);
        if (!_sections.ContainsKey(key))
        {
            _sections.Add(key, new Dictionary<string, SmbConfValue>(StringComparer.Ordinal));
        }
    }

    /// <summary>
    /// A name as Samba matches it: case does not matter, and neither do blanks or underscores
    /// ("Bind Interfaces Only", "bindinterfacesonly" and "bind_interfaces_only" are the same).
    /// </summary>
    public static string Normalize(string name)
    {
        Span<char> buffer = name.Length <= 256 ? stackalloc char[name.Length] : new char[name.Length];
        var n = 0;
        foreach (var c in name)
        {
            if (c is ' ' or '\t' or '_')
            {
                continue;
            }
            buffer[n++] = char.ToLowerInvariant(c);
        }
        return new string(buffer[..n]);
    }
}
