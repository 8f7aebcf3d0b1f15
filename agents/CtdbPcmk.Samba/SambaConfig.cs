// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Ocf;
using P = CtdbPcmk.Samba.SambaParameters;

namespace CtdbPcmk.Samba;

/// <summary>
/// The parameters of one samba resource, checked for syntax only (no host inspection), so that
/// every action, including a probe, can parse them. Errors are OCF_ERR_CONFIGURED.
/// </summary>
internal sealed record SambaConfig
{
    public const string DefaultStateDirectory = "/run/resource-agents";

    public required string ConfigFile { get; init; }

    /// <summary>The services given, or null for the default that follows smb.conf's security.</summary>
    public IReadOnlyList<SambaService>? Services { get; init; }

    public required string CtdbSocket { get; init; }

    public required IReadOnlyDictionary<SambaService, IReadOnlyList<string>> Options { get; init; }

    public required string SbinDir { get; init; }

    public TimeSpan NegotiateTimeout { get; init; }

    /// <summary>How long the monitor tolerates an smbd that does not answer while the cluster database does not serve.</summary>
    public TimeSpan ClusterWait { get; init; }

    public SambaServiceManager ServiceManager { get; init; }

    /// <summary>The systemd units given, in start order, or null for the units of the services.</summary>
    public IReadOnlyList<string>? SystemdUnits { get; init; }

    /// <summary>The system bus address given, or null for DBUS_SYSTEM_BUS_ADDRESS or the standard socket.</summary>
    public string? DBusAddress { get; init; }

    /// <summary>HA_RSCTMP: where the state file lives.</summary>
    public required string StateDirectory { get; init; }

    public string StateFile => InstanceState.PathFor(StateDirectory, ConfigFile);

    /// <summary>Where a daemon's standard output and error go (its start failures are read from here).</summary>
    public string OutputFile(SambaService service) => Path.ChangeExtension(StateFile, SambaServices.Name(service) + ".out");

    public string Binary(SambaService service) => Path.Combine(SbinDir, SambaServices.Name(service));

    public static SambaConfig Parse(OcfParameters p, OcfEnvironment environment) => new()
    {
        ConfigFile = p.GetRequiredPath(P.Config),
        Services = SambaServices.Parse(p.GetString(P.Services)),
        CtdbSocket = p.GetRequiredPath(P.CtdbSocket),
        Options = new Dictionary<SambaService, IReadOnlyList<string>>
        {
            [SambaService.Smbd] = SplitOptions(p, P.SmbdOptions),
            [SambaService.Nmbd] = SplitOptions(p, P.NmbdOptions),
            [SambaService.Winbindd] = SplitOptions(p, P.WinbinddOptions),
        },
        SbinDir = p.GetRequiredPath(P.SbinDir),
        NegotiateTimeout = TimeSpan.FromSeconds(p.GetInt32(P.NegotiateTimeout, 1, 300) ?? 5),
        ClusterWait = TimeSpan.FromSeconds(p.GetInt32(P.ClusterWait, 0, 3600) ?? 60),
        ServiceManager = Samba.SystemdUnits.ParseManager(p.GetString(P.ServiceManager)),
        SystemdUnits = Samba.SystemdUnits.Parse(p.GetString(P.SystemdUnits)),
        DBusAddress = DBusAddressOf(p),
        StateDirectory = environment.GetNonEmpty("HA_RSCTMP") ?? DefaultStateDirectory,
    };

    /// <summary>The units systemd mode manages for <paramref name="services"/>.</summary>
    public IReadOnlyList<string> Units(IReadOnlyList<SambaService> services) => SystemdUnits ?? Samba.SystemdUnits.Default(services);

    private static string? DBusAddressOf(OcfParameters p)
    {
        var value = p.GetString(P.DBusAddress).Trim();
        if (value.Length == 0)
        {
            return null;
        }
        if (!value.Contains(':', StringComparison.Ordinal) || value.Contains('\n', StringComparison.Ordinal))
        {
            throw OcfException.Configured($"{P.DBusAddress} '{value}' is not a D-Bus address (such as unix:path=/run/dbus/system_bus_socket)");
        }
        return value;
    }

    private static string[] SplitOptions(OcfParameters p, string name)
    {
        var options = p.GetString(name).Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        // The agent starts each daemon in the foreground itself and passes the configuration file:
        // options that change either would leave it without the PID it tracks.
        foreach (var o in options)
        {
            if (o is "-D" or "--daemon" or "-i" or "--interactive" || o.StartsWith("-s", StringComparison.Ordinal) || o.StartsWith("--configfile", StringComparison.Ordinal))
            {
                throw OcfException.Configured($"{name}: '{o}' is set by the agent and cannot be given");
            }
        }
        return options;
    }
}
