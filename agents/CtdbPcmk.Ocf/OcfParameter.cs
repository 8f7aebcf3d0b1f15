// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Ocf;

/// <summary>
/// One declared agent parameter. Each agent declares its list once in code; a test checks that it
/// matches the agent's metadata XML (names, types, defaults, required flags).
/// </summary>
/// <param name="Name">Parameter name (the part after <c>OCF_RESKEY_</c>).</param>
/// <param name="Type">Content type.</param>
/// <param name="Default">Default value, or null when the metadata declares none.</param>
/// <param name="Required">Whether the metadata marks it <c>required="1"</c>.</param>
public sealed record OcfParameter(string Name, OcfParameterType Type, string? Default = null, bool Required = false);
