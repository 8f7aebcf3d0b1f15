// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Portblock;

/// <summary>
/// The "started" marker of one instance in HA_RSCTMP (a tmpfs cleared at boot). A block instance
/// stays active after its unblock partner removed the rule, and an unblock instance is active
/// while no rule is present: neither state can be read from the firewall alone.
/// </summary>
internal sealed class InstanceState
{
    private const string DefaultDirectory = "/run/resource-agents";

    public InstanceState(OcfEnvironment environment, string instance)
    {
        var directory = environment.GetNonEmpty("HA_RSCTMP") ?? DefaultDirectory;
        Path = System.IO.Path.Combine(directory, "ctdb-portblock-" + Sanitize(instance));
    }

    public string Path { get; }

    public bool Exists => File.Exists(Path);

    public void Set()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        File.WriteAllText(Path, "");
    }

    public void Clear() => File.Delete(Path);

    /// <summary>Keeps the name a single path component whatever the instance id contains.</summary>
    private static string Sanitize(string instance)
    {
        var name = new StringBuilder(instance.Length);
        foreach (var c in instance)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' ? c : '_');
        }

        return name.ToString();
    }
}
