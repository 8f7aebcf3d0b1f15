// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Samba;

/// <summary>One "name = value" as written, with where it was written (for error messages).</summary>
internal sealed record SmbConfValue(string Name, string Value, string File, int Line)
{
    public string Where => $"{File}:{Line}";
}
