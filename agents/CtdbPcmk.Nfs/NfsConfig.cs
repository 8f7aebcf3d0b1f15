// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Text;
using CtdbPcmk.Ocf;
using P = CtdbPcmk.Nfs.NfsParameters;

namespace CtdbPcmk.Nfs;

/// <summary>
/// The parameters of one nfs resource, checked for syntax only (no host inspection), so that
/// every action, including a probe, can parse them. Errors are OCF_ERR_CONFIGURED.
/// </summary>
internal sealed record NfsConfig
{
    public const string DefaultStateDirectory = "/run/resource-agents";
    public const string SystemBus = "unix:path=/run/dbus/system_bus_socket";

    private static readonly string[] s_logLevels =
        ["NIV_NULL", "NIV_FATAL", "NIV_MAJ", "NIV_CRIT", "NIV_WARN", "NIV_EVENT", "NIV_INFO", "NIV_DEBUG", "NIV_MID_DEBUG", "NIV_FULL_DEBUG"];

    public required string ConfigFile { get; init; }

    public required string Binary { get; init; }

    /// <summary>The ganesha node id ("-I"): node_id, else Pacemaker's numeric node id.</summary>
    public required int NodeId { get; init; }

    /// <summary>This node's name in Pacemaker (CRM_meta_on_node), when Pacemaker runs the action.</summary>
    public string? NodeName { get; init; }

    public required string BusAddress { get; init; }

    public required string LogFile { get; init; }

    public required string LogLevel { get; init; }

    public required IReadOnlyList<string> Options { get; init; }

    public required TimeSpan ProbeTimeout { get; init; }

    /// <summary>HA_RSCTMP: where the state and takeover files live.</summary>
    public required string StateDirectory { get; init; }

    public string StateFile => Path.Combine(StateDirectory, "nfs-" + Escape(ConfigFile) + ".state");

    public string PidFile => Path.ChangeExtension(StateFile, ".pid");

    public string OutputFile => Path.ChangeExtension(StateFile, ".out");

    public static NfsConfig Parse(OcfParameters p, OcfEnvironment environment)
    {
        var nodeId = p.GetInt32(P.NodeId, 0, 65535);
        if (nodeId is null)
        {
            // Corosync's node ids are the numeric node uuids Pacemaker passes to every action.
            var uuid = environment.GetNonEmpty("OCF_RESKEY_CRM_meta_on_node_uuid");
            if (uuid is null || !int.TryParse(uuid, NumberStyles.None, CultureInfo.InvariantCulture, out var fromPacemaker) || fromPacemaker > 65535)
            {
                throw OcfException.Configured("node_id is not set and Pacemaker gave no numeric node id (CRM_meta_on_node_uuid); set node_id");
            }
            nodeId = fromPacemaker;
        }
        var level = p.GetString(P.LogLevel).Trim();
        if (!s_logLevels.Contains(level))
        {
            throw OcfException.Configured($"log_level '{level}' is not one of {string.Join(", ", s_logLevels)}");
        }
        var bus = p.GetString(P.DBusAddress).Trim();
        if (bus.Length == 0)
        {
            bus = environment.GetNonEmpty("DBUS_SYSTEM_BUS_ADDRESS") ?? SystemBus;
        }
        if (!bus.Contains(':', StringComparison.Ordinal))
        {
            throw OcfException.Configured($"dbus_address '{bus}' is not a D-Bus address (such as {SystemBus})");
        }
        return new NfsConfig
        {
            ConfigFile = p.GetRequiredPath(P.Config),
            Binary = p.GetRequiredPath(P.Binary),
            NodeId = nodeId.Value,
            NodeName = environment.GetNonEmpty("OCF_RESKEY_CRM_meta_on_node"),
            BusAddress = bus,
            LogFile = p.GetRequiredPath(P.LogFile),
            LogLevel = level,
            Options = SplitOptions(p.GetString(P.Options)),
            ProbeTimeout = TimeSpan.FromSeconds(p.GetInt32(P.ProbeTimeout, 1, 120) ?? 5),
            StateDirectory = environment.GetNonEmpty("HA_RSCTMP") ?? DefaultStateDirectory,
        };
    }

    private static string[] SplitOptions(string value)
    {
        var options = value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        foreach (var o in options)
        {
            // The agent runs ganesha in the foreground with its own pid file, configuration,
            // log and node id: options that change any of these would leave it without the
            // process it tracks, or with another node's client records.
            if (o.Length >= 2 && o[0] == '-' && "FfLNpI".Contains(o[1], StringComparison.Ordinal))
            {
                throw OcfException.Configured($"options: '{o}' is set by the agent (from config, log_file, log_level or node_id) and cannot be given");
            }
        }
        return options;
    }

    private static string Escape(string path)
    {
        var name = new StringBuilder();
        foreach (var c in path)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_');
        }
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(path))
        {
            hash = (hash ^ b) * 16777619u;
        }
        return name.Append(CultureInfo.InvariantCulture, $"-{hash:x8}").ToString();
    }
}
