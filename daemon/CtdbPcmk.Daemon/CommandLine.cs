// SPDX-License-Identifier: GPL-3.0-or-later
using System.CommandLine;
using CtdbPcmk.Daemon.Config;

namespace CtdbPcmk.Daemon;

/// <summary>The ctdb-pcmkd command line.</summary>
internal static class CommandLine
{
    /// <summary>Builds the root command; <paramref name="run"/> receives the parsed arguments.</summary>
    public static RootCommand Create(Func<HostArguments, int> run)
    {
        var config = new Option<string>("--config")
        {
            Description = "ctdb.conf-style configuration file",
            HelpName = "FILE",
            DefaultValueFactory = _ => CtdbConf.DefaultPath,
        };
        var nodes = new Option<string?>("--nodes") { Description = "Nodes file (overrides [cluster] nodes file)", HelpName = "FILE" };
        var socket = new Option<string?>("--socket")
        {
            Description = "Client Unix socket (overrides CTDB_SOCKET and [cluster] socket; default " + DaemonConfig.DefaultSocket + ")",
            HelpName = "PATH",
        };
        var nodeAddress = new Option<string?>("--node-address") { Description = "This node's private address (overrides [cluster] node address)", HelpName = "IP" };
        var leader = new Option<bool>("--leader") { Description = "Start as leader (single node, or testing without Pacemaker)" };
        var logLevel = new Option<string?>("--log-level") { Description = "ERROR, WARNING, NOTICE, INFO, DEBUG or 0-4 (overrides [logging] log level)", HelpName = "LEVEL" };
        var pidFile = new Option<string?>("--pidfile") { Description = "Write the daemon's PID here while it runs", HelpName = "FILE" };

        var root = new RootCommand("ctdb-pcmkd: CTDB-compatible clustered TDB daemon for Pacemaker clusters")
        {
            config, nodes, socket, nodeAddress, leader, logLevel, pidFile,
        };
        root.Subcommands.Add(LeaderCommand.Create(Console.Out, Console.Error));
        root.SetAction(result => run(new HostArguments
        {
            ConfigFile = result.GetValue(config)!,
            NodesFile = result.GetValue(nodes),
            Socket = result.GetValue(socket),
            NodeAddress = result.GetValue(nodeAddress),
            Leader = result.GetValue(leader),
            LogLevel = result.GetValue(logLevel),
            PidFile = result.GetValue(pidFile),
        }));
        return root;
    }
}
