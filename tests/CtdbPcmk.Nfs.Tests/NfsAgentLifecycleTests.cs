// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CtdbPcmk.Linux;
using CtdbPcmk.TestSupport.Nfs4;

namespace CtdbPcmk.Nfs.Tests;

/// <summary>
/// ocf:ctdb:nfs run in-process against the real NFS-Ganesha 4 on loopback, with a private system
/// bus: start, monitor and stop, a crashed, a hung and a bus-less server, ganesha.conf errors,
/// a port already taken, and the notification that finds a RecoveryRoot not shared.
/// </summary>
public sealed class NfsAgentLifecycleTests
{
    private const int SigStop = 19;

    [Fact]
    public void Start_serves_nfs_and_stop_ends_it()
    {
        using var box = new NfsSandbox();
        Assert.Equal(7, box.Run("monitor").ExitCode);
        box.Ok("start");
        var ganesha = box.State!.Process;
        Assert.Equal("ganesha.nfsd", File.ReadAllText($"/proc/{ganesha.Pid}/comm").Trim());
        box.Ok("monitor");
        box.Ok("start");
        Assert.Equal(ganesha, box.State!.Process);

        var records = Path.Combine(box.RecoveryRoot, "by-node", "1", "v4recov");
        Assert.Equal("../../v4recov/node1", new FileInfo(records).LinkTarget);
        Assert.True(Directory.Exists(Path.Combine(box.RecoveryRoot, "v4recov", "node1")));
        Assert.True(File.Exists(box.TakeoverFile));
        Assert.Equal(new NfsTakeover(box.RecoveryRoot, 1, box.Bus.Address), NfsTakeover.Load(box.StateDirectory));

        byte[] data = Encoding.ASCII.GetBytes("through ocf:ctdb:nfs\n");
        using (var client = Nfs4Client.Connect(box.Address, box.Port))
        {
            client.SetClientId($"ctdbpcmk-agent-rw {box.Address}/{box.Address} tcp");
            var file = client.Open("/share/agent-file", ShareAccess.Both, ShareDeny.None, create: true);
            client.Write(file, 0, data);
            Assert.Equal(data, client.Read(file));
            client.Close(file);
        }
        Assert.Equal(data, File.ReadAllBytes(Path.Combine(box.ExportPath, "agent-file")));

        box.Ok("stop");
        Assert.False(ganesha.IsAlive, $"ganesha pid {ganesha.Pid} survived stop");
        Assert.False(File.Exists(box.TakeoverFile));
        Assert.Null(box.State);
        Assert.False(Nfs4Client.Answers(box.Address, box.Port, TimeSpan.FromSeconds(1)));
        Assert.Equal(7, box.Run("monitor").ExitCode);
        box.Ok("stop");
    }

    [Fact]
    public void A_killed_server_is_not_running_and_starts_again()
    {
        using var box = new NfsSandbox();
        box.Ok("start");
        var killed = box.Signal(ProcessTree.SigKill);

        var monitor = box.Run("monitor");
        Assert.True(monitor.ExitCode == 7, monitor.ToString());
        Assert.Equal($"ganesha.nfsd (pid {killed.Pid}) exited", monitor.Reason);

        box.Ok("stop");
        Assert.Null(box.State);
        box.Ok("start");
        Assert.NotEqual(killed, box.State!.Process);
        box.Ok("monitor");
        Assert.True(File.Exists(box.TakeoverFile));
    }

    [Fact]
    public void A_hung_server_fails_monitor_and_stop_still_ends_it()
    {
        using var box = new NfsSandbox();
        box.Ok("start");
        var hung = box.Signal(SigStop);
        Assert.True(SpinWait.SpinUntil(() => hung.Current() is { IsStopped: true }, TimeSpan.FromSeconds(10)), "ganesha did not stop");

        var clock = Stopwatch.StartNew();
        var monitor = box.Run("monitor");
        Assert.True(monitor.ExitCode == 1, monitor.ToString());
        Assert.StartsWith($"ganesha.nfsd (pid {hung.Pid}) is stopped", monitor.Reason);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"monitor took {clock.Elapsed}");

        box.Ok("stop");
        Assert.False(hung.IsAlive, $"ganesha pid {hung.Pid} survived stop");
        Assert.Null(box.State);
        Assert.Equal(7, box.Run("monitor").ExitCode);
    }

    [Fact]
    public void A_server_whose_bus_hangs_fails_monitor()
    {
        using var box = new NfsSandbox();
        box.Ok("start");
        var ganesha = box.State!.Process;
        var bus = new TrackedProcess(box.Bus.Pid, ProcStat.Read(box.Bus.Pid)!.Value.StartTime);
        Assert.True(ProcessTree.Signal(bus, SigStop));
        try
        {
            var clock = Stopwatch.StartNew();
            var monitor = box.Run("monitor", ("OCF_RESKEY_probe_timeout", "2"));
            Assert.True(monitor.ExitCode == 1, monitor.ToString());
            Assert.StartsWith($"ganesha.nfsd (pid {ganesha.Pid}) serves NFS but its D-Bus admin interface does not answer", monitor.Reason);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"monitor took {clock.Elapsed}");
        }
        finally
        {
            ProcessTree.Signal(bus, ProcessTree.SigCont);
        }
        box.Ok("monitor");
        box.Ok("stop");
        Assert.False(ganesha.IsAlive, $"ganesha pid {ganesha.Pid} survived stop");
    }

    [Fact]
    public void A_server_whose_bus_ends_exits_and_is_not_running()
    {
        // NFS-Ganesha exits when its system bus connection closes: monitor then finds no process.
        using var box = new NfsSandbox();
        box.Ok("start");
        var ganesha = box.State!.Process;
        box.StopBus();
        Assert.True(ProcessTree.WaitGone([ganesha], DateTime.UtcNow.AddSeconds(10)), $"ganesha pid {ganesha.Pid} outlived its bus\n{box.LogTail()}");

        var monitor = box.Run("monitor");
        Assert.True(monitor.ExitCode == 7, monitor.ToString());
        Assert.Equal($"ganesha.nfsd (pid {ganesha.Pid}) exited", monitor.Reason);
        box.Ok("stop");
    }

    [Fact]
    public void Stop_and_monitor_where_nothing_ever_ran()
    {
        using var box = new NfsSandbox();
        Assert.False(Directory.Exists(box.StateDirectory));
        Assert.Equal(7, box.Run("monitor").ExitCode);
        box.Ok("stop");
        box.Ok("notify", ("OCF_RESKEY_CRM_meta_notify_type", "post"), ("OCF_RESKEY_CRM_meta_notify_operation", "start"));
    }

    public static TheoryData<string, string, string> BadConfigs => new()
    {
        // name, what to replace (first occurrence; "" appends), replacement
        { "NFSv4 disabled", "Protocols = 4;", "Protocols = 3;" },
        { "no RecoveryRoot", "RecoveryRoot = ", "# RecoveryRoot = " },
        { "syntax error", "", "oops;\n" },
    };

    [Theory]
    [MemberData(nameof(BadConfigs))]
    public void A_bad_config_is_not_configured_and_names_the_line(string name, string find, string replace)
    {
        using var box = new NfsSandbox();
        var text = File.ReadAllText(box.Config);
        var at = find.Length == 0 ? text.Length : text.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0, name);
        text = text[..at] + replace + text[(at + find.Length)..];
        File.WriteAllText(box.Config, text);
        // The line the error is reported on: the changed one, or for a missing RecoveryRoot the
        // NFSv4 block that lacks it.
        var line = find.StartsWith("RecoveryRoot", StringComparison.Ordinal)
            ? LineOf(text, "NFSv4 {")
            : text[..at].Count(c => c == '\n') + 1;

        foreach (var action in new[] { "validate-all", "start" })
        {
            var r = box.Run(action);
            Assert.True(r.ExitCode == 6, $"{name}: {action}: {r}");
            Assert.StartsWith($"{box.Config}:{line}: ", r.Reason);
        }
        Assert.Null(box.State);
        Assert.False(File.Exists(box.TakeoverFile));
        box.Ok("stop");
    }

    [Fact]
    public void A_recovery_root_or_binary_missing_on_this_node_is_not_installed()
    {
        using var box = new NfsSandbox();
        var absent = Path.Combine(box.Dir, "not-mounted");
        File.WriteAllText(box.Config, File.ReadAllText(box.Config).Replace(box.RecoveryRoot, absent, StringComparison.Ordinal));
        foreach (var action in new[] { "validate-all", "start" })
        {
            var r = box.Run(action);
            Assert.True(r.ExitCode == 5, $"{action}: {r}");
            Assert.Contains($"RecoveryRoot {absent}", r.Reason);
        }
        Assert.False(Directory.Exists(absent));

        File.WriteAllText(box.Config, box.Options.ConfigText());
        var binary = Path.Combine(box.Dir, "no-such-ganesha.nfsd");
        var start = box.Run("start", ("OCF_RESKEY_binary", binary));
        Assert.True(start.ExitCode == 5, start.ToString());
        Assert.StartsWith($"{binary} does not exist", start.Reason);
        Assert.Null(box.State);
    }

    [Fact]
    public void Start_refuses_when_something_else_holds_the_nfs_port()
    {
        using var box = new NfsSandbox();
        using (var other = new TcpListener(IPAddress.Parse(box.Address), box.Port))
        {
            other.Start();
            var r = box.Run("start");
            Assert.True(r.ExitCode == 1, r.ToString());
            Assert.StartsWith($"something else already listens on {box.Address}:{box.Port}", r.Reason);
            Assert.Null(box.State);
            Assert.Equal(7, box.Run("monitor").ExitCode);
        }
        box.Ok("start");
        box.Ok("stop");
    }

    [Fact]
    public void Notify_finds_a_peer_missing_from_the_recovery_root_until_it_registers()
    {
        using var box = new NfsSandbox();
        (string, string) onN1 = ("OCF_RESKEY_CRM_meta_on_node", "n1");
        (string, string)[] postStart =
        [
            onN1,
            ("OCF_RESKEY_CRM_meta_notify_type", "post"),
            ("OCF_RESKEY_CRM_meta_notify_operation", "start"),
            ("OCF_RESKEY_CRM_meta_notify_active_uname", "n1 n2"),
        ];
        box.Ok("start", onN1);
        var layout = new RecoveryLayout(box.RecoveryRoot);
        Assert.True(layout.IsRegistered("n1"));
        Assert.False(layout.IsRegistered("n2"));

        box.Ok("notify", postStart);
        var monitor = box.Run("monitor", onN1);
        Assert.True(monitor.ExitCode == 1, monitor.ToString());
        Assert.StartsWith($"RecoveryRoot {box.RecoveryRoot} is not shared: n2 ", monitor.Reason);

        layout.Register("n2", 2);
        box.Ok("notify", postStart);
        box.Ok("monitor", onN1);
    }

    private static int LineOf(string text, string what) =>
        text[..text.IndexOf(what, StringComparison.Ordinal)].Count(c => c == '\n') + 1;
}
