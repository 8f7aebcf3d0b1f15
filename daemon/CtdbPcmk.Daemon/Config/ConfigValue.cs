// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Net;

namespace CtdbPcmk.Daemon.Config;

/// <summary>One configuration entry with typed accessors that fail with a located error.</summary>
internal readonly struct ConfigValue(string file, IniEntry entry)
{
    public string Key => entry.Key;
    public string Text => entry.Value;
    public string Where => $"{file}:{entry.Line}";

    public ConfigError Error(string text) => new(file, entry.Line, text);

    public ConfigError UnknownKey() => Error($"unknown option '{entry.Key}' in [{entry.Section}]");

    public IPAddress Address()
    {
        // IPAddress.TryParse also takes "1" or "010.1" (inet_aton forms): insist on dotted quads or IPv6.
        if (!IPAddress.TryParse(Text, out var address) || !NodesFile.LooksLikeAddress(Text))
            throw Error($"invalid IP address '{Text}' for '{Key}'");
        return address;
    }

    public string AbsolutePath()
    {
        if (Text.Length == 0 || Text[0] != '/')
            throw Error($"'{Key}' must be an absolute path, got '{Text}'");
        return Text;
    }

    public long Number(long min, long max)
    {
        if (!long.TryParse(Text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
            throw Error($"invalid number '{Text}' for '{Key}' (expected {min}-{max})");
        return n;
    }

    public bool Boolean()
    {
        switch (Text.ToLowerInvariant())
        {
            case "true" or "yes" or "on" or "1": return true;
            case "false" or "no" or "off" or "0": return false;
            default: throw Error($"invalid boolean '{Text}' for '{Key}' (expected true or false)");
        }
    }
}
