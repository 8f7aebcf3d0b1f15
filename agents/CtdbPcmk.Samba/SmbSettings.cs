// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;

namespace CtdbPcmk.Samba;

/// <summary>
/// The [global] settings of smb.conf the agent needs, with Samba's defaults (Debian's build:
/// ctdbd socket /run/ctdb/ctdbd.socket, pid and lock directory /run/samba, winbindd socket
/// directory /run/samba/winbindd; "testparm -sv" and "smbd -b" show them).
/// </summary>
internal sealed record SmbSettings
{
    public const string DefaultCtdbdSocket = "/run/ctdb/ctdbd.socket";
    public const string DefaultPidDirectory = "/run/samba";
    public const string DefaultLockDirectory = "/run/samba";
    public const string DefaultWinbinddSocketDirectory = "/run/samba/winbindd";

    /// <summary>Where "clustering" is set, for messages (null when it is not set).</summary>
    public SmbConfValue? ClusteringSetting { get; init; }

    public bool Clustering { get; init; }

    /// <summary>The effective ctdbd socket (Samba's default when unset).</summary>
    public required string CtdbdSocket { get; init; }

    /// <summary>Where "ctdbd socket" is set, or null for the default.</summary>
    public SmbConfValue? CtdbdSocketSetting { get; init; }

    /// <summary>"security" as written, lower case ("auto" when unset).</summary>
    public required string Security { get; init; }

    public required IReadOnlyList<int> SmbPorts { get; init; }

    public required IReadOnlyList<string> Interfaces { get; init; }

    public bool BindInterfacesOnly { get; init; }

    /// <summary>Where "disable netbios = yes" is set, or null when NetBIOS is on (nmbd exits at once without it).</summary>
    public SmbConfValue? NetbiosDisabled { get; init; }

    public required string PidDirectory { get; init; }

    public required string LockDirectory { get; init; }

    public required string WinbinddSocketDirectory { get; init; }

    /// <summary>The settings of a parsed file; a value Samba would refuse is an error naming file and line.</summary>
    public static SmbSettings From(SmbConfFile conf)
    {
        var clustering = conf.GetGlobal("clustering");
        var socket = conf.GetGlobal("ctdbd socket");
        var ports = conf.GetGlobal("smb ports");
        var bind = conf.GetGlobal("bind interfaces only");
        var netbios = conf.GetGlobal("disable netbios");
        return new SmbSettings
        {
            ClusteringSetting = clustering,
            Clustering = clustering is not null && Boolean(clustering),
            CtdbdSocket = socket is { Value.Length: > 0 } ? socket.Value : DefaultCtdbdSocket,
            CtdbdSocketSetting = socket is { Value.Length: > 0 } ? socket : null,
            Security = (conf.GetGlobal("security")?.Value ?? "auto").ToLowerInvariant(),
            SmbPorts = ports is null ? [445, 139] : Ports(ports),
            Interfaces = (conf.GetGlobal("interfaces")?.Value ?? "").Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries),
            BindInterfacesOnly = bind is not null && Boolean(bind),
            NetbiosDisabled = netbios is not null && Boolean(netbios) ? netbios : null,
            PidDirectory = Directory(conf, "pid directory", DefaultPidDirectory),
            LockDirectory = Directory(conf, "lock directory", DefaultLockDirectory),
            WinbinddSocketDirectory = Directory(conf, "winbindd socket directory", DefaultWinbinddSocketDirectory),
        };
    }

    /// <summary>Samba's boolean spellings.</summary>
    internal static bool Boolean(SmbConfValue v) => v.Value.ToLowerInvariant() switch
    {
        "yes" or "true" or "1" or "on" => true,
        "no" or "false" or "0" or "off" => false,
        _ => throw new SmbConfException(v.File, v.Line, $"'{v.Name}' is '{v.Value}', not a boolean (yes/no)"),
    };

    private static List<int> Ports(SmbConfValue v)
    {
        var list = new List<int>();
        foreach (var item in v.Value.Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                throw new SmbConfException(v.File, v.Line, $"'{v.Name}': '{item}' is not a port number");
            }
            list.Add(port);
        }
        if (list.Count == 0)
        {
            throw new SmbConfException(v.File, v.Line, $"'{v.Name}' lists no port");
        }
        return list;
    }

    private static string Directory(SmbConfFile conf, string name, string fallback)
    {
        var v = conf.GetGlobal(name);
        if (v is null || v.Value.Length == 0)
        {
            return fallback;
        }
        if (!v.Value.StartsWith('/'))
        {
            throw new SmbConfException(v.File, v.Line, $"'{v.Name}' is '{v.Value}', not an absolute path");
        }
        return v.Value.Length > 1 ? v.Value.TrimEnd('/') : v.Value;
    }
}
