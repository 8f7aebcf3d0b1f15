// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;

namespace CtdbPcmk.Daemon.Tests;

/// <summary>Runs the built ctdb-pcmkd executable.</summary>
public sealed class DaemonProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cpk-proc-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Theory]
    [InlineData("[cluster]\n\tnode address = 127.0.0.1\n[database]\n\ttdb mutexes = perhaps\n", 4, "invalid boolean 'perhaps'")]
    [InlineData("[cluster]\n\tnode address = 127.0.0.1\n\t\tsocket\n", 3, "expected '[section]' or 'key = value'")]
    [InlineData("# x\n[legacy]\n\trealtime scheduling = false\n", 2, "unknown section [legacy]")]
    [InlineData("[cluster]\n\tnode address = 127.0.0.300\n", 2, "invalid IP address '127.0.0.300'")]
    public void A_malformed_config_stops_the_daemon_before_it_starts(string conf, int line, string message)
    {
        var nodes = Write("nodes", "127.0.0.1\n");
        var config = Write("ctdb.conf", conf + $"[logging]\n\tlocation = file:{_dir}/log\n");
        var socket = Path.Combine(_dir, "ctdbd.socket");
        var pidfile = Path.Combine(_dir, "run/ctdbd.pid");
        var r = Sh.Run([RepoPaths.Daemon, "--config", config, "--nodes", nodes, "--socket", socket, "--pidfile", pidfile, "--leader"]);
        Assert.True(r.Code == 1, r.ToString());
        Assert.StartsWith($"{config}:{line}: {message}", r.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(socket), "socket was created");
        Assert.False(File.Exists(pidfile), "pid file was created");
        Assert.False(File.Exists(Path.Combine(_dir, "log")), "log was opened");
    }

    [Fact]
    public void A_bad_nodes_file_is_reported_with_its_line()
    {
        var nodes = Write("nodes", "127.0.0.1\n\n127.0.0.2:4379\n");
        var config = Write("ctdb.conf", "[logging]\n\tlocation = stderr\n");
        var r = Sh.Run([RepoPaths.Daemon, "--config", config, "--nodes", nodes, "--socket", Path.Combine(_dir, "s")]);
        Assert.True(r.Code == 1, r.ToString());
        Assert.StartsWith($"{nodes}:3: invalid node address '127.0.0.2:4379'", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_start_failure_is_reported_on_stderr_and_in_the_log()
    {
        var nodes = Write("nodes", "127.0.0.1\n");
        var log = Path.Combine(_dir, "ctdb.log");
        var config = Write("ctdb.conf", $"[logging]\n\tlocation = file:{log}\n");
        // The socket's directory cannot be made: a regular file is in the way.
        var blocker = Write("blocker", "");
        var pidfile = Path.Combine(_dir, "ctdbd.pid");
        var r = Sh.Run([RepoPaths.Daemon, "--config", config, "--nodes", nodes, "--socket", Path.Combine(blocker, "s"), "--pidfile", pidfile, "--leader"]);
        Assert.True(r.Code == 1, r.ToString());
        Assert.StartsWith("ctdb-pcmkd failed: ", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("FTL ctdb-pcmkd failed", File.ReadAllText(log), StringComparison.Ordinal);
        Assert.False(File.Exists(pidfile), "pid file was created");
    }

    [Fact]
    public void Runs_until_SIGTERM_then_exits_0_and_removes_its_pid_file()
    {
        var nodes = Write("nodes", "198.51.100.1\n127.0.0.1\n");
        var log = Path.Combine(_dir, "log/ctdb.log");
        var config = Write("ctdb.conf",
            $"[logging]\n\tlocation = file:{log}\n\tlog level = NOTICE\n[cluster]\n\tcluster lock = /x\n" +
            $"[database]\n\tvolatile database directory = {_dir}/db/volatile\n\tpersistent database directory = {_dir}/db/persistent\n" +
            $"\tstate database directory = {_dir}/db/state\n");
        var pidfile = Path.Combine(_dir, "run/ctdbd.pid");
        var psi = new ProcessStartInfo(RepoPaths.Daemon)
        {
            ArgumentList = { "--config", config, "--nodes", nodes, "--socket", Path.Combine(_dir, "run/s"), "--pidfile", pidfile, "--leader" },
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            // The file exists (created and locked) a moment before the PID is written into it.
            while (!(File.Exists(pidfile) && File.ReadAllText(pidfile).EndsWith('\n')) && DateTime.UtcNow < deadline && !p.HasExited)
                Thread.Sleep(50);
            Assert.True(File.Exists(pidfile), "no pid file; stderr: " + (p.HasExited ? p.StandardError.ReadToEnd() : ""));
            Assert.Equal($"{p.Id}\n", File.ReadAllText(pidfile));
            foreach (var d in new[] { "db/volatile", "db/persistent", "db/state" })
                Assert.True(Directory.Exists(Path.Combine(_dir, d)), d + " not created");

            // A second daemon with the same pid file must refuse to start.
            var second = Sh.Run([RepoPaths.Daemon, "--config", config, "--nodes", nodes, "--socket", Path.Combine(_dir, "run/s2"), "--pidfile", pidfile]);
            Assert.True(second.Code == 1, second.ToString());
            Assert.Contains($"pid file is locked by process {p.Id}: is another daemon running?", second.Stderr, StringComparison.Ordinal);
            Assert.Equal($"{p.Id}\n", File.ReadAllText(pidfile));

            Assert.Equal(0, Sh.Run(["kill", "-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]).Code);
            Assert.True(p.WaitForExit(30_000), "daemon did not stop on SIGTERM");
            Assert.Equal(0, p.ExitCode);
            Assert.False(File.Exists(pidfile), "pid file left behind");
            var text = File.ReadAllText(log);
            Assert.Contains($"ctdb-pcmkd[{p.Id}]: INF {config}:5: 'cluster lock' ignored", text, StringComparison.Ordinal);
            Assert.Contains("PNN 1 of 2 nodes", text, StringComparison.Ordinal);
            Assert.Contains("Received SIGTERM", text, StringComparison.Ordinal);
        }
        finally
        {
            if (!p.HasExited)
            {
                p.Kill();
                p.WaitForExit();
            }
        }
    }
}
