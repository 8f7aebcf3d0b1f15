// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using CtdbPcmk.Daemon.Config;
using Serilog.Events;

namespace CtdbPcmk.Daemon.Tests;

public sealed class CtdbConfTests
{
    [Fact]
    public void Defaults_are_ctdbs()
    {
        var c = CtdbConf.FromText("c.conf", "");
        Assert.Null(c.NodeAddress);
        Assert.Equal("/etc/ctdb/nodes", c.NodesFile);
        Assert.Equal(4379, c.Port);
        Assert.Null(c.Socket);
        Assert.Equal("/var/lib/ctdb/volatile", c.VolatileDirectory);
        Assert.Equal("/var/lib/ctdb/persistent", c.PersistentDirectory);
        Assert.Equal("/var/lib/ctdb/state", c.StateDirectory);
        Assert.True(c.TdbMutexes);
        Assert.Equal(new LogTarget(LogTargetKind.File, "/var/log/ctdb/log.ctdb"), c.Log);
        Assert.Equal(LogEventLevel.Information, c.LogLevel);
        Assert.Empty(c.Tunables);
        Assert.Empty(c.Notices);
    }

    [Fact]
    public void Reads_every_supported_key()
    {
        const string text = """
            [logging]
            	location = file:/var/log/x.log
            	log level = debug
            [cluster]
            	node address = fd00::2
            	nodes file = /etc/x/nodes
            	port = 4400
            	socket = /run/x.socket
            	cluster lock = /shared/.lock
            	recovery lock = /shared/.rlock
            	transport = tcp
            	leader capability = false
            	leader timeout = 9
            [database]
            	volatile database directory = /v
            	persistent database directory = /p
            	state database directory = /s
            	tdb mutexes = no
            	lock debug script = debug_locks.sh
            [tunables]
            	recoverinterval = 2
            	QueueBufferSize = 4096
            	TDBMutexEnabled = 1
            """;
        var c = CtdbConf.FromText("c.conf", text);
        Assert.Equal(IPAddress.Parse("fd00::2"), c.NodeAddress);
        Assert.Equal("/etc/x/nodes", c.NodesFile);
        Assert.Equal(4400, c.Port);
        Assert.Equal("/run/x.socket", c.Socket);
        Assert.Equal(("/v", "/p", "/s"), (c.VolatileDirectory, c.PersistentDirectory, c.StateDirectory));
        Assert.False(c.TdbMutexes);
        Assert.Equal(new LogTarget(LogTargetKind.File, "/var/log/x.log"), c.Log);
        Assert.Equal(LogEventLevel.Verbose, c.LogLevel);
        Assert.Equal(new Dictionary<string, uint> { ["RecoverInterval"] = 2, ["QueueBufferSize"] = 4096 }, c.Tunables);
        // cluster lock, recovery lock, transport, leader capability, leader timeout, lock debug script, obsolete tunable
        Assert.Equal(7, c.Notices.Count);
        Assert.StartsWith("c.conf:9: 'cluster lock' ignored", c.Notices[0], StringComparison.Ordinal);
        Assert.StartsWith("c.conf:23: tunable 'TDBMutexEnabled' is obsolete", c.Notices[6], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("syslog", "Syslog", null)]
    [InlineData("syslog:nonblocking", "Syslog", null)]
    [InlineData("syslog:udp", "Syslog", null)]
    [InlineData("stderr", "Stderr", null)]
    [InlineData("file:/tmp/a b.log", "File", "/tmp/a b.log")]
    public void Log_locations(string location, string kind, string? path)
    {
        var c = CtdbConf.FromText("c.conf", $"[logging]\n\tlocation = {location}\n");
        Assert.Equal(new LogTarget(Enum.Parse<LogTargetKind>(kind), path), c.Log);
    }

    [Theory]
    [InlineData("ERROR", LogEventLevel.Error)]
    [InlineData("0", LogEventLevel.Error)]
    [InlineData("WARNING", LogEventLevel.Warning)]
    [InlineData("1", LogEventLevel.Warning)]
    [InlineData("NOTICE", LogEventLevel.Information)]
    [InlineData("2", LogEventLevel.Information)]
    [InlineData("info", LogEventLevel.Debug)]
    [InlineData("3", LogEventLevel.Debug)]
    [InlineData("DEBUG", LogEventLevel.Verbose)]
    [InlineData("4", LogEventLevel.Verbose)]
    public void Log_levels_map_to_serilog(string name, LogEventLevel expected)
    {
        var c = CtdbConf.FromText("c.conf", $"[logging]\n\tlog level = {name}\n");
        Assert.Equal(expected, c.LogLevel);
    }

    [Theory]
    [InlineData("[event]\n\tdebug script = x\n", "c.conf:1: unknown section [event]")]
    [InlineData("[cluster]\n[failover]\n", "c.conf:2: unknown section [failover]")]
    [InlineData("[cluster]\n\tnode adress = 10.0.0.1\n", "c.conf:2: unknown option 'node adress' in [cluster]")]
    [InlineData("[database]\n\n\ttdb mutexes = maybe\n", "c.conf:3: invalid boolean 'maybe' for 'tdb mutexes'")]
    [InlineData("[cluster]\n\tnode address = 10.0.0.256\n", "c.conf:2: invalid IP address '10.0.0.256'")]
    [InlineData("[cluster]\n\tnode address = 10.1\n", "c.conf:2: invalid IP address '10.1'")]
    [InlineData("[cluster]\n\tnode address = host.example\n", "c.conf:2: invalid IP address 'host.example'")]
    [InlineData("[cluster]\n\tport = 70000\n", "c.conf:2: invalid number '70000' for 'port'")]
    [InlineData("[cluster]\n\tport = -1\n", "c.conf:2: invalid number '-1' for 'port'")]
    [InlineData("[cluster]\n\tport = 43x\n", "c.conf:2: invalid number '43x' for 'port'")]
    [InlineData("[cluster]\n\ttransport = ib\n", "c.conf:2: transport 'ib' is not supported")]
    [InlineData("[cluster]\n\tleader capability = sometimes\n", "c.conf:2: invalid boolean 'sometimes'")]
    [InlineData("[cluster]\n\tnodes file = nodes\n", "c.conf:2: 'nodes file' must be an absolute path")]
    [InlineData("[database]\n\tstate database directory =\n", "c.conf:2: 'state database directory' must be an absolute path")]
    [InlineData("[logging]\n\tlocation = file:\n", "c.conf:2: log file must be an absolute path")]
    [InlineData("[logging]\n\tlocation = journald\n", "c.conf:2: invalid log location 'journald'")]
    [InlineData("[logging]\n\tlog level = LOUD\n", "c.conf:2: invalid log level 'LOUD'")]
    [InlineData("[logging]\n\tlog level = 5\n", "c.conf:2: invalid log level '5'")]
    [InlineData("[tunables]\n\tNoSuchTunable = 1\n", "c.conf:2: unknown tunable 'nosuchtunable'")]
    [InlineData("[limits]\n\tmax clients = 0\n", "c.conf:2: invalid number '0' for 'max clients'")]
    [InlineData("[limits]\n\tclient queue pause = 1000\n", "c.conf:2: invalid number '1000' for 'client queue pause'")]
    [InlineData("[limits]\n\tclient queue maximum = 1048576\n\tmax clients = 5\n", "c.conf:3: 'client queue maximum' (1048576) is below 'client queue pause'")]
    [InlineData("[limits]\n\tclients = 5\n", "c.conf:2: unknown option 'clients' in [limits]")]
    [InlineData("[limits]\n\n\tclient pending calls = 1\n", "c.conf:3: invalid number '1' for 'client pending calls'")]
    [InlineData("[tunables]\n\tRecoverInterval = 4294967296\n", "c.conf:2: invalid number '4294967296' for 'recoverinterval'")]
    public void Bad_values_name_file_and_line(string text, string expectedPrefix)
    {
        var e = Assert.Throws<ConfigError>(() => CtdbConf.FromText("c.conf", text));
        Assert.StartsWith(expectedPrefix, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_have_defaults_and_are_read_from_their_section()
    {
        var defaults = CtdbConf.FromText("c.conf", "").Limits;
        Assert.Equal((16384, 8192, 1024, 16L << 20, 512L << 20),
            (defaults.MaxClients, defaults.MaxRegistrations, defaults.MaxPendingCalls, defaults.QueuePause, defaults.QueueMaximum));
        var c = CtdbConf.FromText("c.conf", "[limits]\n\tclient queue maximum = 4294967296\n\tclient queue pause = 1048576\n\tmax clients = 300\n" +
            "\tclient registrations = 64\n\tclient pending calls = 32\n\tlarge packet memory = 67108864\n\tclient large packet stall = 3\n").Limits;
        Assert.Equal((300, 64, 32, 1L << 20, 4L << 30), (c.MaxClients, c.MaxRegistrations, c.MaxPendingCalls, c.QueuePause, c.QueueMaximum));
        Assert.Equal((16L << 20, TimeSpan.FromSeconds(10)), (defaults.LargePackets, defaults.LargePacketStall));
        Assert.Equal((64L << 20, TimeSpan.FromSeconds(3)), (c.LargePackets, c.LargePacketStall));
    }

    [Fact]
    public void The_stock_debian_file_is_accepted()
    {
        // The file Debian installs as /etc/ctdb/ctdb.conf (comments shortened).
        const string text = "# See ctdb.conf(5)\n\n[logging]\n\t# Enable logging to syslog\n\tlocation = syslog\n\n" +
            "\t# Default log level\n\tlog level = NOTICE\n\n[cluster]\n\t# Shared cluster lock file\n\t#\n" +
            "\t# cluster lock = !/bin/false CLUSTER LOCK NOT CONFIGURED\n";
        var c = CtdbConf.FromText("/etc/ctdb/ctdb.conf", text);
        Assert.Equal(LogTargetKind.Syslog, c.Log.Kind);
        Assert.Equal(LogEventLevel.Information, c.LogLevel);
    }
}
