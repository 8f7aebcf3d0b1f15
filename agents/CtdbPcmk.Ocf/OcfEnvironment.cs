// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Ocf;

/// <summary>
/// The environment an action runs with. Agents read variables only through this type so tests
/// can run an action against an explicit table of variables.
/// </summary>
public sealed class OcfEnvironment
{
    private readonly IReadOnlyDictionary<string, string>? _variables;

    private OcfEnvironment(IReadOnlyDictionary<string, string>? variables)
    {
        _variables = variables;
    }

    /// <summary>The environment of this process.</summary>
    public static OcfEnvironment Process { get; } = new(null);

    /// <summary>An explicit set of variables (for tests and tools).</summary>
    public static OcfEnvironment From(IReadOnlyDictionary<string, string> variables) => new(variables);

    /// <summary>The value of a variable, or null when it is not set.</summary>
    public string? Get(string name)
    {
        if (_variables is null)
        {
            return Environment.GetEnvironmentVariable(name);
        }
        return _variables.TryGetValue(name, out var value) ? value : null;
    }

    /// <summary>The value of a variable, or null when it is unset or empty.</summary>
    public string? GetNonEmpty(string name)
    {
        var value = Get(name);
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>True for the OCF spellings of "yes": yes, true, 1, on (any case).</summary>
    public static bool IsTrue(string? value) => value is not null && (
        value.Equals("yes", StringComparison.OrdinalIgnoreCase)
        || value.Equals("true", StringComparison.OrdinalIgnoreCase)
        || value.Equals("on", StringComparison.OrdinalIgnoreCase)
        || value.Equals("y", StringComparison.OrdinalIgnoreCase)
        || value == "1");

    /// <summary>True for the OCF spellings of "no": no, false, 0, off (any case).</summary>
    public static bool IsFalse(string? value) => value is not null && (
        value.Equals("no", StringComparison.OrdinalIgnoreCase)
        || value.Equals("false", StringComparison.OrdinalIgnoreCase)
        || value.Equals("off", StringComparison.OrdinalIgnoreCase)
        || value.Equals("n", StringComparison.OrdinalIgnoreCase)
        || value == "0");
}
