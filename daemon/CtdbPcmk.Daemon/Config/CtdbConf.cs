// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using Serilog.Events;

namespace CtdbPcmk.Daemon.Config;

/// <summary>
/// The typed contents of ctdb.conf. Every property holds the CTDB default until the file sets it.
/// </summary>
internal sealed class CtdbConf
{
    public const string DefaultPath = "/etc/ctdb/ctdb.conf";

    private static readonly string[] s_sections = ["cluster", "database", "limits", "logging", "tunables"];

    public IPAddress? NodeAddress { get; set; }
    public string NodesFile { get; set; } = "/etc/ctdb/nodes";
    public int Port { get; set; } = 4379;
    public string? Socket { get; set; }
    public string? NodeKeyFile { get; set; }
    public string VolatileDirectory { get; set; } = "/var/lib/ctdb/volatile";
    public string PersistentDirectory { get; set; } = "/var/lib/ctdb/persistent";
    public string StateDirectory { get; set; } = "/var/lib/ctdb/state";
    public bool TdbMutexes { get; set; } = true;
    public LogTarget Log { get; set; } = LogTarget.Default;
    public LogEventLevel LogLevel { get; set; } = LogEventLevel.Information;
    public Dictionary<string, uint> Tunables { get; } = new(StringComparer.Ordinal);
    public CtdbPcmk.Server.Clients.ClientLimits Limits { get; set; } = new();

    /// <summary>
    /// Things worth telling the administrator once logging is up (options accepted but with no
    /// effect here). Kept as text because the file is read before the logger exists.
    /// </summary>
    public List<string> Notices { get; } = [];

    /// <summary>Reads and validates <paramref name="path"/>; a missing file is an error.</summary>
    public static CtdbConf Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigError(path, 0, $"cannot read configuration: {e.Message}");
        }
        return FromText(path, text);
    }

    /// <summary>Validates already read text; <paramref name="path"/> is used in messages.</summary>
    public static CtdbConf FromText(string path, string text)
    {
        var conf = new CtdbConf();
        foreach (var e in IniParser.Parse(path, text, s_sections))
        {
            var v = new ConfigValue(path, e);
            switch (e.Section)
            {
                case "cluster": conf.SetCluster(v); break;
                case "database": conf.SetDatabase(v); break;
                case "limits": conf.SetLimit(v); break;
                case "logging": conf.SetLogging(v); break;
                case "tunables": conf.SetTunable(v); break;
                default:
                    throw new InvalidOperationException($"section [{e.Section}] passed the parser's check");
            }
        }
        conf.CheckLimits();
        return conf;
    }

    private void SetCluster(ConfigValue v)
    {
        switch (v.Key)
        {
            case "node address": NodeAddress = v.Address(); break;
            case "nodes file": NodesFile = v.AbsolutePath(); break;
            case "port": Port = (int)v.Number(1, 65535); break;
            case "socket": Socket = v.AbsolutePath(); break;
            case "node key file": NodeKeyFile = v.AbsolutePath(); break;
            case "cluster lock":
            case "recovery lock":
                Notices.Add($"{v.Where}: '{v.Key}' ignored: Pacemaker and the leader role protect against split brain");
                break;
            case "transport":
                if (!string.Equals(v.Text, "tcp", StringComparison.OrdinalIgnoreCase))
                    throw v.Error($"transport '{v.Text}' is not supported (only tcp)");
                Notices.Add($"{v.Where}: 'transport' is always tcp");
                break;
            case "leader capability":
                v.Boolean();
                Notices.Add($"{v.Where}: 'leader capability' ignored: Pacemaker chooses the leader");
                break;
            case "leader timeout":
                v.Number(1, uint.MaxValue);
                Notices.Add($"{v.Where}: 'leader timeout' ignored: Pacemaker chooses the leader");
                break;
            default:
                throw v.UnknownKey();
        }
    }

    private void SetDatabase(ConfigValue v)
    {
        switch (v.Key)
        {
            case "volatile database directory": VolatileDirectory = v.AbsolutePath(); break;
            case "persistent database directory": PersistentDirectory = v.AbsolutePath(); break;
            case "state database directory": StateDirectory = v.AbsolutePath(); break;
            case "tdb mutexes": TdbMutexes = v.Boolean(); break;
            case "lock debug script":
                Notices.Add($"{v.Where}: 'lock debug script' accepted but not run");
                break;
            default:
                throw v.UnknownKey();
        }
    }

    /// <summary>[limits]: what one client may take of the daemon (this daemon's own section).</summary>
    private void SetLimit(ConfigValue v)
    {
        Limits = v.Key switch
        {
            "max clients" => Limits with { MaxClients = (int)v.Number(1, 1 << 20) },
            "client registrations" => Limits with { MaxRegistrations = (int)v.Number(1, 1 << 24) },
            "client pending calls" => Limits with { MaxPendingCalls = (int)v.Number(2, 1 << 24) },
            "client queue pause" => Limits with { QueuePause = v.Number(64 * 1024, 1L << 40) },
            "client queue maximum" => Limits with { QueueMaximum = v.Number(64 * 1024, 1L << 40) },
            "large packet memory" => Limits with { LargePackets = v.Number(1L << 20, 1L << 40) },
            "client large packet stall" => Limits with { LargePacketStall = TimeSpan.FromSeconds(v.Number(1, 3600)) },
            _ => throw v.UnknownKey(),
        };
        _lastLimit = v;
    }

    private ConfigValue? _lastLimit;

    /// <summary>Checks the [limits] values against each other once all are read (at the last one's line).</summary>
    private void CheckLimits()
    {
        if (_lastLimit is { } v && Limits.QueueMaximum < Limits.QueuePause)
        {
            throw v.Error($"'client queue maximum' ({Limits.QueueMaximum}) is below 'client queue pause' ({Limits.QueuePause})");
        }
    }

    private void SetLogging(ConfigValue v)
    {
        switch (v.Key)
        {
            case "location":
                if (!LogTarget.TryParse(v.Text, out var target, out var error))
                    throw v.Error(error!);
                Log = target;
                break;
            case "log level":
                if (!LogLevelName.TryParse(v.Text, out var level))
                    throw v.Error($"invalid log level '{v.Text}' (expected {LogLevelName.Describe})");
                LogLevel = level;
                break;
            default:
                throw v.UnknownKey();
        }
    }

    private void SetTunable(ConfigValue v)
    {
        if (TunableNames.Current(v.Key) is { } name)
        {
            Tunables[name] = (uint)v.Number(0, uint.MaxValue);
            return;
        }
        if (TunableNames.Obsolete(v.Key) is { } old)
        {
            v.Number(0, uint.MaxValue);
            Notices.Add($"{v.Where}: tunable '{old}' is obsolete and ignored");
            return;
        }
        throw v.Error($"unknown tunable '{v.Key}'");
    }
}
