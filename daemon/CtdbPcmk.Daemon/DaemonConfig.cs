// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using CtdbPcmk.Daemon.Config;
using CtdbPcmk.Server;

namespace CtdbPcmk.Daemon;

/// <summary>
/// Combines the command line, the environment, ctdb.conf and the nodes file into the daemon's
/// options. Precedence: command line, then environment (CTDB_SOCKET only), then ctdb.conf, then
/// the CTDB defaults.
/// </summary>
internal static class DaemonConfig
{
    public const string DefaultSocket = "/run/ctdb/ctdbd.socket";

    /// <summary>Throws <see cref="ConfigError"/> for anything that keeps the daemon from starting.</summary>
    public static HostSettings Resolve(HostArguments args, string? envSocket)
    {
        var conf = CtdbConf.Load(args.ConfigFile);

        var logLevel = conf.LogLevel;
        if (args.LogLevel is not null && !LogLevelName.TryParse(args.LogLevel, out logLevel))
            throw new ConfigError("--log-level", 0, $"invalid log level '{args.LogLevel}' (expected {LogLevelName.Describe})");

        var nodeAddress = conf.NodeAddress;
        if (args.NodeAddress is not null)
        {
            if (!NodesFile.LooksLikeAddress(args.NodeAddress) || !IPAddress.TryParse(args.NodeAddress, out nodeAddress))
                throw new ConfigError("--node-address", 0, $"invalid IP address '{args.NodeAddress}'");
        }

        var nodesPath = args.NodesFile ?? conf.NodesFile;
        var nodes = NodesFile.Load(nodesPath);
        var pnn = NodesFile.FindPnn(nodesPath, nodes, nodeAddress);

        if (conf.NodeKeyFile is { } keyFile)
        {
            try
            {
                // Read again for every node connection; checked here so a bad file stops the start.
                CtdbPcmk.Transport.NodeAuth.NodeKeyFile.Load(keyFile);
            }
            catch (CtdbPcmk.Transport.NodeAuth.NodeKeyFileException e)
            {
                throw new ConfigError(e.File, e.Line, e.Text);
            }
        }

        var socket = args.Socket ?? NonEmpty(envSocket) ?? conf.Socket ?? DefaultSocket;
        var options = new DaemonOptions
        {
            SocketPath = socket,
            Nodes = nodes,
            Pnn = pnn,
            NodePort = conf.Port,
            VolatileDirectory = conf.VolatileDirectory,
            PersistentDirectory = conf.PersistentDirectory,
            StateDirectory = conf.StateDirectory,
            TdbMutexes = conf.TdbMutexes,
            Tunables = conf.Tunables,
            Limits = conf.Limits,
            NodeKeyFile = conf.NodeKeyFile,
            StartAsLeader = args.Leader,
        };
        return new HostSettings(options, conf.Log, logLevel, args.PidFile, conf.Notices);
    }

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
