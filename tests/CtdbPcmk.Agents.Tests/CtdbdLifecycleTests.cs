// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;

namespace CtdbPcmk.Agents.Tests;

/// <summary>ocf:ctdb:ctdbd from the published OCF root, against the real daemon installed beside it.</summary>
[Collection(OcfRootGroup.Name)]
public sealed class CtdbdLifecycleTests(OcfRootFixture root) : IDisposable
{
    private readonly CtdbdSandbox _box = new();

    public void Dispose() => _box.Dispose();

    private Sh.Result Run(string action, params (string, string)[] extra) =>
        Sh.Run(root.Agent("ctdbd"), [action], _box.Environment(extra), 120_000);

    private Sh.Result Probe() => Run("monitor", ("OCF_RESKEY_CRM_meta_interval", "0"));

    [Fact]
    public void Start_monitor_promote_demote_stop_give_the_ocf_codes()
    {
        Assert.Equal(7, Probe().Code);
        var start = Run("start");
        Assert.True(start.Code == 0, start.Stderr);
        Assert.NotNull(_box.DaemonPid);
        Assert.Equal(0, Run("monitor").Code);
        Assert.Equal(0, Probe().Code);
        Assert.Equal(0, Run("start").Code);
        Assert.Equal(0, Run("promote").Code);
        Assert.Equal(8, Run("monitor").Code);
        Assert.Equal(0, Run("promote").Code);
        Assert.Equal(8, Probe().Code);
        Assert.Equal(0, Run("demote").Code);
        Assert.Equal(0, Run("monitor").Code);
        Assert.Equal(0, Run("demote").Code);
        var pid = _box.DaemonPid!.Value;
        Assert.Equal(0, Run("stop").Code);
        Assert.False(Linux.DaemonProcess.IsAlive(pid), "daemon still runs after stop");
        Assert.Null(_box.DaemonPid);
        Assert.False(File.Exists(_box.Socket));
        Assert.Equal(7, Run("monitor").Code);
        Assert.Equal(0, Run("stop").Code);
        Assert.Equal(0, Run("demote").Code);
        var promote = Run("promote");
        Assert.Equal(1, promote.Code);
        Assert.Contains("not running", promote.Reason);
    }

    [Fact]
    public void The_daemon_runs_in_its_own_session_so_a_timed_out_start_does_not_kill_it()
    {
        Assert.Equal(0, Run("start").Code);
        var pid = _box.DaemonPid!.Value;
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields after the name: state, ppid, pgrp, session.
        Assert.Equal(pid.ToString(CultureInfo.InvariantCulture), fields[2]);
        Assert.Equal(pid.ToString(CultureInfo.InvariantCulture), fields[3]);
        Assert.NotEqual(Environment.ProcessId.ToString(CultureInfo.InvariantCulture), fields[1]);
    }

    [Fact]
    public void Probe_before_anything_exists_is_not_running_even_without_the_daemon_binary()
    {
        var r = Sh.Run(root.Agent("ctdbd"), ["monitor"], _box.Environment(
            ("OCF_RESKEY_CRM_meta_interval", "0"),
            ("OCF_RESKEY_ctdbd_binary", "/nonexistent/ctdb-pcmkd"),
            ("OCF_RESKEY_ctdb_socket", "/nonexistent/dir/ctdbd.socket"),
            ("OCF_RESKEY_ctdb_nodes_file", "/nonexistent/nodes")));
        Assert.Equal(7, r.Code);
        Assert.Null(r.Reason);
    }

    [Fact]
    public void Promotion_score_follows_the_role_and_is_removed_on_stop()
    {
        var bin = Path.Combine(_box.Dir, "bin");
        Directory.CreateDirectory(bin);
        var record = Path.Combine(_box.Dir, "crm_attribute.calls");
        var fake = Path.Combine(bin, "crm_attribute");
        File.WriteAllText(fake, $"#!/bin/sh\necho \"$OCF_RESOURCE_INSTANCE $*\" >> {record}\n");
        File.SetUnixFileMode(fake, (UnixFileMode)0x1ED);
        (string, string)[] promotable = [("OCF_RESKEY_CRM_meta_promotable", "true"), ("PATH", bin + ":/usr/sbin:/usr/bin:/sbin:/bin")];

        Assert.Equal(0, Run("start", promotable).Code);
        Assert.Equal(0, Run("monitor", promotable).Code);   // unchanged score: no second call
        Assert.Equal(0, Run("promote", promotable).Code);
        Assert.Equal(8, Run("monitor", promotable).Code);
        Assert.Equal(0, Run("demote", promotable).Code);
        Assert.Equal(0, Run("stop", promotable).Code);
        Assert.Equal(0, Run("start").Code);                 // not promotable: no calls
        Assert.Equal(0, Run("stop").Code);
        Assert.Equal(
            ["ctdbd-test --promotion -v 100", "ctdbd-test --promotion -v 110", "ctdbd-test --promotion -v 100", "ctdbd-test --promotion -D"],
            File.ReadAllLines(record));
    }

    [Fact]
    public void Notify_post_start_makes_every_running_daemon_recheck_and_never_fails()
    {
        Assert.Equal(0, Run("notify").Code);
        var started = Run("start");
        Assert.True(started.Code == 0, started.Stderr);
        (string, string)[] postStart = [("OCF_RESKEY_CRM_meta_notify_type", "post"), ("OCF_RESKEY_CRM_meta_notify_operation", "start")];
        var follower = Run("notify", postStart);
        Assert.Equal(0, follower.Code);
        Assert.Contains("post-start: asked the daemon to re-check membership", follower.Stderr);
        Assert.Equal(0, Run("promote").Code);
        var leader = Run("notify", postStart);
        Assert.Equal(0, leader.Code);
        Assert.Contains("post-start: asked the leader to re-check membership", leader.Stderr);
        var pre = Run("notify", ("OCF_RESKEY_CRM_meta_notify_type", "pre"), ("OCF_RESKEY_CRM_meta_notify_operation", "stop"));
        Assert.Equal(0, pre.Code);
        Assert.DoesNotContain("re-check", pre.Stderr);
        Assert.Equal(0, Run("stop").Code);
        var stopped = Run("notify", postStart);
        Assert.Equal(0, stopped.Code);
        Assert.DoesNotContain("asked the", stopped.Stderr);
    }

    [Fact]
    public void Generated_config_is_written_once_and_a_given_config_is_never_written()
    {
        Assert.Equal(0, Run("start").Code);
        var generated = Path.Combine(_box.RunDir, "ctdb-pcmkd.conf");
        var written = File.GetLastWriteTimeUtc(generated);
        var inode = new FileInfo(generated).LastWriteTimeUtc;
        Assert.Contains($"port = {_box.Port}", File.ReadAllText(generated), StringComparison.Ordinal);
        Assert.Equal(0, Run("stop").Code);
        Thread.Sleep(20);
        Assert.Equal(0, Run("start").Code);
        Assert.Equal(written, File.GetLastWriteTimeUtc(generated));
        Assert.Equal(inode, new FileInfo(generated).LastWriteTimeUtc);
        Assert.Equal(0, Run("stop").Code);

        // A changed parameter rewrites it.
        Assert.Equal(0, Run("start", ("OCF_RESKEY_ctdb_tunables", "KeepaliveInterval=2, KeepaliveLimit=3")).Code);
        Assert.Contains("[tunables]\n\tKeepaliveInterval = 2\n\tKeepaliveLimit = 3\n", File.ReadAllText(generated), StringComparison.Ordinal);
        var tunable = Sh.Run("ctdb", ["getvar", "KeepaliveLimit"], new Dictionary<string, string> { ["CTDB_SOCKET"] = _box.Socket });
        Assert.Equal("KeepaliveLimit = 3", Squeeze(tunable.Stdout));
        Assert.Equal(0, Run("stop").Code);

        // A hand-maintained file: used as it is, never written.
        var hand = Path.Combine(_box.Dir, "hand.conf");
        var text = "# hand edited\n[logging]\n\tlocation = file:" + _box.LogFile + "\n[cluster]\n\tnodes file = " + _box.NodesFile
            + "\n\tport = " + _box.Port + "\n[database]\n\tvolatile database directory = " + _box.Dir + "/hv\n"
            + "\tpersistent database directory = " + _box.Dir + "/hp\n\tstate database directory = " + _box.Dir + "/hs\n"
            + "[tunables]\n\tKeepaliveLimit = 7\n";
        File.WriteAllText(hand, text);
        var before = File.GetLastWriteTimeUtc(hand);
        Assert.Equal(0, Run("start", ("OCF_RESKEY_ctdb_config_file", hand)).Code);
        Assert.Equal(0, Run("monitor", ("OCF_RESKEY_ctdb_config_file", hand)).Code);
        Assert.True(Directory.Exists(_box.Dir + "/hv"));
        tunable = Sh.Run("ctdb", ["getvar", "KeepaliveLimit"], new Dictionary<string, string> { ["CTDB_SOCKET"] = _box.Socket });
        Assert.Equal("KeepaliveLimit = 7", Squeeze(tunable.Stdout));
        Assert.Equal(0, Run("stop", ("OCF_RESKEY_ctdb_config_file", hand)).Code);
        Assert.Equal(text, File.ReadAllText(hand));
        Assert.Equal(before, File.GetLastWriteTimeUtc(hand));
    }

    [Fact]
    public void Reload_agent_applies_tunables_to_the_running_daemon()
    {
        Assert.Equal(0, Run("start").Code);
        var reload = Run("reload-agent", ("OCF_RESKEY_ctdb_tunables", "KeepaliveLimit=9"), ("OCF_RESKEY_ctdb_debuglevel", "DEBUG"));
        Assert.True(reload.Code == 0, reload.Stderr);
        var env = new Dictionary<string, string> { ["CTDB_SOCKET"] = _box.Socket };
        Assert.Equal("KeepaliveLimit = 9", Squeeze(Sh.Run("ctdb", ["getvar", "KeepaliveLimit"], env).Stdout));
        Assert.Equal("DEBUG", Sh.Run("ctdb", ["getdebug"], env).Stdout.Trim());
        var bad = Run("reload-agent", ("OCF_RESKEY_ctdb_tunables", "NoSuchTunable=1"));
        Assert.Equal(1, bad.Code);
        Assert.Contains("NoSuchTunable", bad.Reason);
    }

    [Fact]
    public void Stop_escalates_to_sigkill_when_the_daemon_does_not_react()
    {
        Assert.Equal(0, Run("start").Code);
        var pid = _box.DaemonPid!.Value;
        Assert.True(Linux.DaemonProcess.Signal(pid, 19));   // SIGSTOP: neither SHUTDOWN nor SIGTERM is handled
        var hung = Run("monitor", ("OCF_RESKEY_ctdb_timeout", "1"));
        Assert.Equal(1, hung.Code);
        Assert.Contains("does not answer", hung.Reason);
        // A stopped daemon answers neither SHUTDOWN nor SIGTERM: it is killed within seconds,
        // not after most of a long stop timeout.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var stop = Run("stop", ("OCF_RESKEY_CRM_meta_timeout", "100000"));
        Assert.True(stop.Code == 0, stop.Stderr);
        Assert.Contains("sending SIGKILL", stop.Stderr);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"stop of a stopped daemon took {watch.Elapsed}");
        Assert.False(Linux.DaemonProcess.IsAlive(pid));
        Assert.Equal(7, Run("monitor").Code);

        // The killed daemon left its socket file behind; a new start replaces it.
        Assert.True(File.Exists(_box.Socket));
        Assert.Equal(0, Run("start").Code);
        Assert.Equal(0, Run("monitor").Code);
        Assert.Equal(0, Run("stop").Code);
    }

    [Fact]
    public void A_daemon_that_refuses_its_configuration_fails_start_with_its_reason()
    {
        var hand = Path.Combine(_box.Dir, "bad.conf");
        File.WriteAllText(hand, "[cluster]\n\tnodes file = " + _box.NodesFile + "\n\tno such key = 1\n");
        var r = Run("start", ("OCF_RESKEY_ctdb_config_file", hand));
        Assert.Equal(1, r.Code);
        Assert.Contains("ctdb-pcmkd exited during start", r.Reason);
        Assert.Contains("no such key", r.Reason);
        Assert.Equal(7, Run("monitor", ("OCF_RESKEY_ctdb_config_file", hand)).Code);
    }

    [Theory]
    [InlineData("validate-all", "ctdb_nodes_file=/nonexistent/nodes", 5, "cannot read nodes file /nonexistent/nodes: no such file or directory")]
    [InlineData("start", "ctdb_nodes_file=/nonexistent/nodes", 5, "cannot read nodes file /nonexistent/nodes: no such file or directory")]
    [InlineData("validate-all", "ctdbd_binary=/nonexistent/ctdb-pcmkd", 5, "ctdbd_binary '/nonexistent/ctdb-pcmkd' is not an executable file")]
    [InlineData("validate-all", "ctdb_config_file=/nonexistent/ctdb.conf", 5, "ctdb_config_file '/nonexistent/ctdb.conf' does not exist")]
    [InlineData("validate-all", "ctdb_node_address=127.0.0.9", 6, "ctdb_node_address 127.0.0.9 is not in the nodes file")]
    [InlineData("validate-all", "ctdb_node_address=10.1", 6, "ctdb_node_address '10.1' is not an IPv4 or IPv6 address")]
    [InlineData("start", "ctdb_tunables=KeepaliveLimit", 6, "ctdb_tunables: 'KeepaliveLimit' is not Name=Value")]
    [InlineData("monitor", "ctdb_tunables=KeepaliveLimit=-1", 6, "ctdb_tunables: value of KeepaliveLimit '-1' is not an unsigned 32-bit integer")]
    [InlineData("validate-all", "ctdb_debuglevel=LOUD", 6, "ctdb_debuglevel 'LOUD' is not one of ERROR, WARNING, NOTICE, INFO, DEBUG or 0-4")]
    [InlineData("validate-all", "ctdb_socket=run/ctdbd.socket", 6, "ctdb_socket 'run/ctdbd.socket' is not an absolute path")]
    [InlineData("validate-all", "ctdb_port=0", 6, "parameter 'ctdb_port': 0 is out of range [1, 65535]")]
    [InlineData("validate-all", "ctdb_logfile=log.ctdb", 6, "ctdb_logfile 'log.ctdb' must be an absolute file path, 'syslog' or 'stderr'")]
    [InlineData("validate-all", "ctdb_timeout=x", 6, "parameter 'ctdb_timeout': 'x' is not an integer")]
    [InlineData("stop", "ctdb_rundir=relative", 0, null)]
    [InlineData("migrate_to", "", 3, null)]
    public void Bad_parameters_give_the_ocf_code_and_reason(string action, string assignment, int code, string? reason)
    {
        var extra = new List<(string, string)>();
        if (assignment.Length > 0)
        {
            var eq = assignment.IndexOf('=', StringComparison.Ordinal);
            extra.Add(("OCF_RESKEY_" + assignment[..eq], assignment[(eq + 1)..]));
        }
        var r = Run(action, [.. extra]);
        Assert.Equal(code, r.Code);
        if (reason is null)
        {
            Assert.Null(r.Reason);
        }
        else
        {
            Assert.StartsWith(reason, r.Reason);
        }
    }

    [Fact]
    public void Nodes_file_without_an_address_of_this_node_is_not_installed_here()
    {
        File.WriteAllText(_box.NodesFile, "192.0.2.77\n");
        var r = Run("validate-all");
        Assert.Equal(5, r.Code);
        Assert.Equal($"none of the addresses in {_box.NodesFile} is an address of this node", r.Reason);
    }

    /// <summary>Output with runs of blanks collapsed (the ctdb tool aligns its columns).</summary>
    private static string Squeeze(string text) => string.Join(' ', text.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries));

    [Fact]
    public void Ocf_tester_passes()
    {
        var args = new List<string> { "-n", "ctdbd-test" };
        foreach (var (name, value) in _box.Parameters)
        {
            args.AddRange(["-o", $"{name}={value}"]);
        }
        args.Add(root.Agent("ctdbd"));
        var r = Sh.Run("ocf-tester", args, new Dictionary<string, string> { ["OCF_ROOT"] = root.Root }, 300_000);
        Assert.True(r.Code == 0, r.Stdout + r.Stderr);
        Assert.Contains("passed all tests", r.Stdout);
    }
}
