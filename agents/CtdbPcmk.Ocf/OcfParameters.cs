// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;

namespace CtdbPcmk.Ocf;

/// <summary>
/// Typed access to the agent's declared <c>OCF_RESKEY_*</c> parameters. An unset or empty
/// variable takes the declared default. A value that does not parse ends the action with
/// <see cref="OcfExitCode.ErrConfigured"/> and a reason naming the parameter. Reading a parameter
/// that is not declared is a programming error.
/// </summary>
public sealed class OcfParameters
{
    private readonly Dictionary<string, OcfParameter> _declared;
    private readonly OcfEnvironment _environment;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    /// <summary>Binds the declared parameters to an environment.</summary>
    public OcfParameters(IReadOnlyList<OcfParameter> declared, OcfEnvironment environment)
    {
        _declared = new Dictionary<string, OcfParameter>(StringComparer.Ordinal);
        foreach (var p in declared)
        {
            _declared.Add(p.Name, p);
        }
        _environment = environment;
    }

    /// <summary>Names of the parameters read so far (used by tests: declared == read).</summary>
    public IReadOnlyCollection<string> ReadNames => _read;

    /// <summary>True when the variable is set to a non-empty value (defaults do not count).</summary>
    public bool IsSet(string name)
    {
        Lookup(name);
        return _environment.GetNonEmpty("OCF_RESKEY_" + name) is not null;
    }

    /// <summary>The value, or the declared default, or "" when neither exists.</summary>
    public string GetString(string name) => GetRaw(name) ?? "";

    /// <summary>The value; a missing value of a required parameter is a configuration error.</summary>
    public string GetRequired(string name)
    {
        var value = GetRaw(name);
        if (string.IsNullOrEmpty(value))
        {
            throw OcfException.Configured($"parameter '{name}' is required");
        }
        return value;
    }

    /// <summary>
    /// An absolute path (trimmed, without a trailing '/'), or null when unset without default;
    /// a relative path, a line break or NUL is a configuration error.
    /// </summary>
    public string? GetPath(string name)
    {
        var value = GetString(name).Trim();
        if (value.Length == 0)
        {
            return null;
        }
        if (value[0] != '/')
        {
            throw OcfException.Configured($"{name} '{value}' is not an absolute path");
        }
        if (value.Contains('\n', StringComparison.Ordinal) || value.Contains('\0', StringComparison.Ordinal))
        {
            throw OcfException.Configured($"{name} contains a line break or NUL");
        }
        return value.Length > 1 ? value.TrimEnd('/') : value;
    }

    /// <summary><see cref="GetPath"/> of a parameter that must be given.</summary>
    public string GetRequiredPath(string name) =>
        GetPath(name) ?? throw OcfException.Configured($"parameter '{name}' is required");

    /// <summary>An integer parameter within [min, max]; null when unset without default.</summary>
    public int? GetInt32(string name, int min = int.MinValue, int max = int.MaxValue)
    {
        var value = GetRaw(name);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && !int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n))
        {
            throw OcfException.Configured($"parameter '{name}': '{value}' is not an integer");
        }
        if (n < min || n > max)
        {
            throw OcfException.Configured($"parameter '{name}': {n} is out of range [{min}, {max}]");
        }
        return n;
    }

    /// <summary>A boolean parameter (yes/no, true/false, 1/0, on/off).</summary>
    public bool GetBoolean(string name)
    {
        var value = GetRaw(name);
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }
        if (OcfEnvironment.IsTrue(value))
        {
            return true;
        }
        if (OcfEnvironment.IsFalse(value))
        {
            return false;
        }
        throw OcfException.Configured($"parameter '{name}': '{value}' is not a boolean");
    }

    private string? GetRaw(string name)
    {
        var declared = Lookup(name);
        _read.Add(name);
        return _environment.GetNonEmpty("OCF_RESKEY_" + name) ?? declared.Default;
    }

    private OcfParameter Lookup(string name)
    {
        if (!_declared.TryGetValue(name, out var p))
        {
            throw new InvalidOperationException($"parameter '{name}' is not declared by the agent");
        }
        return p;
    }
}
