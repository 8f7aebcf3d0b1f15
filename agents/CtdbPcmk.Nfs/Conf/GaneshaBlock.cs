// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Nfs.Conf;

/// <summary>A value of ganesha.conf ("key = value;"), where it was written.</summary>
/// <param name="Value">The value, quotes removed; a list keeps its commas ("3, 4").</param>
/// <param name="File">The file it is in.</param>
/// <param name="Line">Its line.</param>
public sealed record GaneshaValue(string Value, string File, int Line);

/// <summary>
/// A block of ganesha.conf ("NAME { ... }"): its values and nested blocks. Names are compared
/// without case, as NFS-Ganesha does; a key given twice keeps the last value.
/// </summary>
public sealed class GaneshaBlock
{
    private readonly Dictionary<string, GaneshaValue> _values = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<GaneshaBlock> _blocks = [];

    public GaneshaBlock(string name, string file, int line)
    {
        Name = name;
        File = file;
        Line = line;
    }

    /// <summary>The block's name (the file's top level is the empty name).</summary>
    public string Name { get; }

    /// <summary>Where the block starts.</summary>
    public string File { get; }

    /// <summary>Its first line.</summary>
    public int Line { get; }

    /// <summary>The nested blocks in file order.</summary>
    public IReadOnlyList<GaneshaBlock> Blocks => _blocks;

    internal void Set(string key, GaneshaValue value) => _values[key] = value;

    internal void Add(GaneshaBlock block) => _blocks.Add(block);

    /// <summary>The value of <paramref name="key"/>, or null when it is not set.</summary>
    public GaneshaValue? Get(string key) => _values.GetValueOrDefault(key);

    /// <summary>The nested blocks named <paramref name="name"/>.</summary>
    public IEnumerable<GaneshaBlock> All(string name) => _blocks.Where(b => string.Equals(b.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The last nested block named <paramref name="name"/>, or null.</summary>
    public GaneshaBlock? Find(string name) => All(name).LastOrDefault();
}
