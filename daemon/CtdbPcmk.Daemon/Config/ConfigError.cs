// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Daemon.Config;

/// <summary>
/// A problem in a configuration or nodes file, located by file and line so the administrator can
/// go straight to it. <see cref="Exception.Message"/> is the full <c>FILE:LINE: text</c> form.
/// </summary>
internal sealed class ConfigError : Exception
{
    public ConfigError(string file, int line, string text)
        : base(line > 0 ? $"{file}:{line}: {text}" : $"{file}: {text}")
    {
        File = file;
        Line = line;
        Text = text;
    }

    /// <summary>The file the problem is in.</summary>
    public string File { get; }

    /// <summary>1-based line number; 0 when the problem concerns the whole file.</summary>
    public int Line { get; }

    /// <summary>The description without the location prefix.</summary>
    public string Text { get; }
}
