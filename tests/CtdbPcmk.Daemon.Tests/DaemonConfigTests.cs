// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using CtdbPcmk.Daemon.Config;
using Serilog.Events;

namespace CtdbPcmk.Daemon.Tests;

public sealed class DaemonConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cpk-conf-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Config_file_values_reach_the_daemon_options()
    {
        var nodes = Write("nodes", "127.0.0.1\n127.0.0.2\n");
        var conf = Write("ctdb.conf", $"[cluster]\n\tnode address = 127.0.0.2\n\tnodes file = {nodes}\n\tport = 5000\n\tsocket = /run/c.sock\n" +
            "[database]\n\tvolatile database directory = /v\n\tpersistent database directory = /p\n\tstate database directory = /s\n" +
            "\ttdb mutexes = false\n[logging]\n\tlocation = stderr\n\tlog level = WARNING\n[tunables]\n\tRecoverTimeout = 7\n");
        var s = DaemonConfig.Resolve(new HostArguments { ConfigFile = conf }, envSocket: null);
        var o = s.Options;
        Assert.Equal(1u, o.Pnn);
        Assert.Equal([IPAddress.Parse("127.0.0.1"), IPAddress.Parse("127.0.0.2")], o.Nodes);
        Assert.Equal(5000, o.NodePort);
        Assert.Equal("/run/c.sock", o.SocketPath);
        Assert.Equal(("/v", "/p", "/s"), (o.VolatileDirectory, o.PersistentDirectory, o.StateDirectory));
        Assert.False(o.TdbMutexes);
        Assert.False(o.StartAsLeader);
        Assert.Equal(7u, o.Tunables["RecoverTimeout"]);
        Assert.Equal(LogTargetKind.Stderr, s.Log.Kind);
        Assert.Equal(LogEventLevel.Warning, s.LogLevel);
    }

    [Fact]
    public void Command_line_overrides_environment_overrides_config()
    {
        var nodes = Write("nodes", "127.0.0.1\n127.0.0.2\n");
        var other = Write("nodes2", "127.0.0.3\n127.0.0.1\n");
        var conf = Write("ctdb.conf", $"[cluster]\n\tnode address = 127.0.0.2\n\tnodes file = {nodes}\n\tsocket = /run/conf.sock\n");

        Assert.Equal("/run/conf.sock", DaemonConfig.Resolve(new HostArguments { ConfigFile = conf }, "").Options.SocketPath);
        Assert.Equal("/run/env.sock", DaemonConfig.Resolve(new HostArguments { ConfigFile = conf }, "/run/env.sock").Options.SocketPath);
        var all = DaemonConfig.Resolve(new HostArguments
        {
            ConfigFile = conf,
            Socket = "/run/cli.sock",
            NodesFile = other,
            NodeAddress = "127.0.0.1",
            Leader = true,
            LogLevel = "DEBUG",
            PidFile = "/run/p.pid",
        }, "/run/env.sock");
        Assert.Equal("/run/cli.sock", all.Options.SocketPath);
        Assert.Equal(1u, all.Options.Pnn);
        Assert.True(all.Options.StartAsLeader);
        Assert.Equal(LogEventLevel.Verbose, all.LogLevel);
        Assert.Equal("/run/p.pid", all.PidFile);

        var bare = Write("bare.conf", $"[cluster]\n\tnodes file = {nodes}\n");
        Assert.Equal(DaemonConfig.DefaultSocket, DaemonConfig.Resolve(new HostArguments { ConfigFile = bare }, null).Options.SocketPath);
    }

    [Fact]
    public void Errors_from_every_source_are_located()
    {
        var nodes = Write("nodes", "127.0.0.1\nbad\n");
        var conf = Write("ctdb.conf", $"[cluster]\n\tnodes file = {nodes}\n");
        var e = Assert.Throws<ConfigError>(() => DaemonConfig.Resolve(new HostArguments { ConfigFile = conf }, null));
        Assert.Equal($"{nodes}:2: invalid node address 'bad'", e.Message);

        e = Assert.Throws<ConfigError>(() => DaemonConfig.Resolve(new HostArguments { ConfigFile = Path.Combine(_dir, "missing.conf") }, null));
        Assert.StartsWith($"{_dir}/missing.conf: cannot read configuration", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<ConfigError>(() => DaemonConfig.Resolve(new HostArguments { ConfigFile = conf, LogLevel = "chatty" }, null));
        Assert.StartsWith("--log-level: invalid log level 'chatty'", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<ConfigError>(() => DaemonConfig.Resolve(new HostArguments { ConfigFile = conf, NodeAddress = "1.2.3" }, null));
        Assert.StartsWith("--node-address: invalid IP address '1.2.3'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_node_key_file_reaches_the_options_and_a_bad_one_stops_the_start_naming_it()
    {
        var nodes = Write("nodes", "127.0.0.1\n127.0.0.2\n");
        var key = Write("node.key", "# cluster key\n" + Convert.ToBase64String(new byte[32]) + "\n");
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var conf = Write("ctdb.conf", $"[cluster]\n\tnode address = 127.0.0.1\n\tnodes file = {nodes}\n\tnode key file = {key}\n");
        Assert.Equal(key, DaemonConfig.Resolve(new HostArguments { ConfigFile = conf }, null).Options.NodeKeyFile);

        var plain = Write("plain.conf", $"[cluster]\n\tnode address = 127.0.0.1\n\tnodes file = {nodes}\n");
        Assert.Null(DaemonConfig.Resolve(new HostArguments { ConfigFile = plain }, null).Options.NodeKeyFile);

        File.WriteAllText(key, "# cluster key\nc2hvcnQ=\n");
        var e = Assert.Throws<ConfigError>(() => DaemonConfig.Resolve(new HostArguments { ConfigFile = conf }, null));
        Assert.Equal($"{key}:2: key is too short: 5 bytes, at least 16 needed (32 recommended)", e.Message);

        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        e = Assert.Throws<ConfigError>(() => DaemonConfig.Resolve(new HostArguments { ConfigFile = conf }, null));
        Assert.StartsWith($"{key}: node key file is accessible to group or others", e.Message, StringComparison.Ordinal);

        File.Delete(key);
        e = Assert.Throws<ConfigError>(() => DaemonConfig.Resolve(new HostArguments { ConfigFile = conf }, null));
        Assert.Equal($"{key}: node key file does not exist", e.Message);

        var relative = Write("rel.conf", $"[cluster]\n\tnodes file = {nodes}\n\tnode key file = node.key\n");
        e = Assert.Throws<ConfigError>(() => DaemonConfig.Resolve(new HostArguments { ConfigFile = relative }, null));
        Assert.Equal($"{relative}:3: 'node key file' must be an absolute path, got 'node.key'", e.Message);
    }
}
