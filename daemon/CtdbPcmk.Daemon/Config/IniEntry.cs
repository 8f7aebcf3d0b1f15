// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Daemon.Config;

/// <summary>One <c>key = value</c> line of an INI file, with the section it belongs to.</summary>
/// <param name="Section">Section name, lower case.</param>
/// <param name="Key">Key, lower case, inner whitespace collapsed to single spaces.</param>
/// <param name="Value">Value with surrounding whitespace removed (may be empty).</param>
/// <param name="Line">1-based line number.</param>
internal sealed record IniEntry(string Section, string Key, string Value, int Line);
