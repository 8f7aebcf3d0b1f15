// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Net;
using System.Text;
using CtdbPcmk.Ocf;
using P = CtdbPcmk.Ctdbd.CtdbdParameters;

namespace CtdbPcmk.Ctdbd;

/// <summary>
/// The parameters of one ctdbd resource, checked for syntax only (no host inspection), so that
/// every action, including a probe, can parse them. Errors are OCF_ERR_CONFIGURED.
/// </summary>
internal sealed record CtdbdConfig
{
    /// <summary>The longest Unix socket path (sun_path holds 108 bytes with the NUL).</summary>
    public const int MaxSocketPath = 107;

    private static readonly string[] s_levels = ["ERROR", "WARNING", "NOTICE", "INFO", "DEBUG"];
    private static readonly uint[] s_debugValues = [0, 1, 3, 5, 10];

    /// <summary>A hand-maintained configuration file, or null when the agent generates one.</summary>
    public string? UserConfigFile { get; init; }

    public required string NodesFile { get; init; }

    /// <summary>True when ctdb_nodes_file was given (passed on the command line with a user config).</summary>
    public bool NodesFileGiven { get; init; }

    public IPAddress? NodeAddress { get; init; }

    public int Port { get; init; }

    public required string Socket { get; init; }

    public required string RunDir { get; init; }

    public required string VolatileDir { get; init; }

    public required string PersistentDir { get; init; }

    public required string StateDir { get; init; }

    /// <summary>The daemon's [logging] location: file:PATH, syslog or stderr.</summary>
    public required string LogLocation { get; init; }

    /// <summary>The level name (ERROR ... DEBUG).</summary>
    public required string LogLevel { get; init; }

    /// <summary>
    /// The SET_DEBUG value of <see cref="LogLevel"/>: Samba's debug levels, which the ctdb tool
    /// names (0 ERROR, 1 WARNING, 3 NOTICE, 5 INFO, 10 DEBUG).
    /// </summary>
    public uint DebugLevelNumber => s_debugValues[Array.IndexOf(s_levels, LogLevel)];

    /// <summary>True when ctdb_debuglevel was given (passed on the command line with a user config).</summary>
    public bool LogLevelGiven { get; init; }

    public required IReadOnlyList<KeyValuePair<string, uint>> Tunables { get; init; }

    /// <summary>Time one request to the daemon may take.</summary>
    public TimeSpan RequestTimeout { get; init; }

    /// <summary>The daemon executable as given (empty: look it up, see <see cref="DaemonBinary"/>).</summary>
    public required string Binary { get; init; }

    /// <summary>The configuration file the agent writes when there is no user configuration.</summary>
    public string GeneratedConfigFile => Path.Combine(RunDir, "ctdb-pcmkd.conf");

    /// <summary>The daemon's pid file (locked by the daemon while it runs).</summary>
    public string PidFile => Path.Combine(RunDir, "ctdb-pcmkd.pid");

    /// <summary>Where the daemon's standard output and error go (start failures are read from here).</summary>
    public string OutputFile => Path.Combine(RunDir, "ctdb-pcmkd.out");

    /// <summary>The last promotion score the agent published (so monitor does not repeat it).</summary>
    public string ScoreFile => Path.Combine(RunDir, "promotion-score");

    /// <summary>The configuration file the daemon is started with.</summary>
    public string EffectiveConfigFile => UserConfigFile ?? GeneratedConfigFile;

    public static CtdbdConfig Parse(OcfParameters p)
    {
        var configFile = p.GetPath(P.ConfigFile);
        var configDir = p.GetRequiredPath(P.ConfigDir);
        var nodesGiven = p.GetPath(P.NodesFile);
        var nodeAddressText = p.GetString(P.NodeAddress);
        IPAddress? nodeAddress = null;
        if (nodeAddressText.Length > 0 && (!LooksLikeAddress(nodeAddressText) || !IPAddress.TryParse(nodeAddressText, out nodeAddress)))
        {
            throw OcfException.Configured($"{P.NodeAddress} '{nodeAddressText}' is not an IPv4 or IPv6 address");
        }
        var port = p.GetInt32(P.Port, 1, 65535) ?? 4379;
        var socket = p.GetRequiredPath(P.Socket);
        if (Encoding.UTF8.GetByteCount(socket) > MaxSocketPath)
        {
            throw OcfException.Configured($"{P.Socket} '{socket}' is longer than {MaxSocketPath} bytes (a Unix socket path limit)");
        }
        var runDir = p.GetRequiredPath(P.RunDir);
        var dbDir = p.GetRequiredPath(P.DbDir);
        var level = p.GetString(P.DebugLevel).Trim();
        var levelName = ParseLevel(level)
            ?? throw OcfException.Configured($"{P.DebugLevel} '{level}' is not one of {string.Join(", ", s_levels)} or 0-4");
        return new CtdbdConfig
        {
            UserConfigFile = configFile,
            NodesFile = nodesGiven ?? Path.Combine(configDir, "nodes"),
            NodesFileGiven = nodesGiven is not null,
            NodeAddress = nodeAddress,
            Port = port,
            Socket = socket,
            RunDir = runDir,
            VolatileDir = p.GetPath(P.DbDirVolatile) ?? Path.Combine(dbDir, "volatile"),
            PersistentDir = p.GetPath(P.DbDirPersistent) ?? Path.Combine(dbDir, "persistent"),
            StateDir = p.GetPath(P.DbDirState) ?? Path.Combine(dbDir, "state"),
            LogLocation = ParseLogFile(p.GetString(P.LogFile).Trim()),
            LogLevel = levelName,
            LogLevelGiven = p.IsSet(P.DebugLevel),
            Tunables = ParseTunables(p.GetString(P.Tunables)),
            RequestTimeout = TimeSpan.FromSeconds(p.GetInt32(P.Timeout, 1, 3600) ?? 10),
            Binary = p.GetString(P.Binary).Trim(),
        };
    }

    /// <summary>
    /// The daemon executable: ctdbd_binary when given, else ctdb-pcmkd next to the agent binary
    /// (the layout of an installed OCF root), else /usr/sbin/ctdb-pcmkd, else null.
    /// </summary>
    public string? DaemonBinary(string? agentExecutable)
    {
        if (Binary.Length > 0)
        {
            return IsExecutableFile(Binary) ? Binary : null;
        }
        var candidates = new List<string>();
        if (agentExecutable is not null)
        {
            // The link in resource.d resolves to lib/ctdb/ctdb-ocf; the daemon is installed beside it.
            var real = ResolveLinks(agentExecutable);
            candidates.Add(Path.Combine(Path.GetDirectoryName(real) ?? "/", "ctdb-pcmkd"));
        }
        candidates.Add("/usr/sbin/ctdb-pcmkd");
        candidates.Add("/usr/lib/ctdb/ctdb-pcmkd");
        return candidates.FirstOrDefault(IsExecutableFile);
    }

    /// <summary>Parses "Name=Value,Name=Value" (spaces around either side allowed).</summary>
    internal static IReadOnlyList<KeyValuePair<string, uint>> ParseTunables(string text)
    {
        var list = new List<KeyValuePair<string, uint>>();
        foreach (var raw in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = raw.IndexOf('=', StringComparison.Ordinal);
            var name = eq > 0 ? raw[..eq].Trim() : "";
            var value = eq > 0 ? raw[(eq + 1)..].Trim() : "";
            if (name.Length == 0 || !name.All(char.IsAsciiLetterOrDigit) || !char.IsAsciiLetter(name[0]))
            {
                throw OcfException.Configured($"{P.Tunables}: '{raw}' is not Name=Value (expected e.g. \"KeepaliveInterval=2,KeepaliveLimit=3\")");
            }
            if (!uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                throw OcfException.Configured($"{P.Tunables}: value of {name} '{value}' is not an unsigned 32-bit integer");
            }
            if (list.Exists(t => string.Equals(t.Key, name, StringComparison.OrdinalIgnoreCase)))
            {
                throw OcfException.Configured($"{P.Tunables}: {name} is set twice");
            }
            list.Add(new(name, number));
        }
        return list;
    }

    /// <summary>ERROR..DEBUG (any case) or 0-4, as the level name; null when invalid.</summary>
    internal static string? ParseLevel(string text)
    {
        var named = Array.Find(s_levels, n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
        if (named is not null)
        {
            return named;
        }
        return text.Length == 1 && text[0] is >= '0' and <= '4' ? s_levels[text[0] - '0'] : null;
    }

    private static string ParseLogFile(string text) => text switch
    {
        "syslog" => "syslog",
        "stderr" => "stderr",
        _ when text.StartsWith('/') => "file:" + text,
        _ => throw OcfException.Configured($"{P.LogFile} '{text}' must be an absolute file path, 'syslog' or 'stderr'"),
    };

    /// <summary>A dotted quad or anything with ':' (not the short inet_aton forms).</summary>
    private static bool LooksLikeAddress(string text) =>
        text.Contains(':', StringComparison.Ordinal) ||
        (text.Split('.').Length == 4 && text.All(c => char.IsAsciiDigit(c) || c == '.'));

    private static string ResolveLinks(string path)
    {
        try
        {
            return new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
        }
        catch (IOException)
        {
            return path;
        }
    }

    internal static bool IsExecutableFile(string path)
    {
        try
        {
            return File.Exists(path)
                && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
