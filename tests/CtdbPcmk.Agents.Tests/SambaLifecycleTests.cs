// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using CtdbPcmk.Linux;
using CtdbPcmk.Samba;

namespace CtdbPcmk.Agents.Tests;

/// <summary>
/// ocf:ctdb:samba from the published OCF root, managing Debian's smbd 4.17 (and winbindd) against
/// the real ctdb-pcmkd, in a network namespace of its own.
/// </summary>
[Collection(OcfRootGroup.Name)]
public sealed class SambaLifecycleTests(OcfRootFixture root)
{
    private static void Ok(Sh.Result r, string what) => Assert.True(r.Code == 0, $"{what}: exit {r.Code}: {r.Stderr}");

    [Fact]
    public void Start_serve_crash_restart_hang_and_stop()
    {
        using var box = new SambaSandbox(root);
        Assert.Equal(7, box.Run("monitor", ("CRM_meta_interval", "0")).Code);
        Ok(box.Run("start"), "start");
        var first = box.State!.Processes[SambaService.Smbd];
        Assert.Equal("smbd", File.ReadAllText($"/proc/{first.Pid}/comm").Trim());
        // Its own session, not the agent's process group: Pacemaker's kill of a timed-out
        // action does not reach it.
        Assert.Equal(first.Pid, ProcStat.Read(first.Pid)!.Value.Session);
        Ok(box.Run("monitor"), "monitor");
        Ok(box.Run("start"), "second start");
        Assert.Equal(first, box.State!.Processes[SambaService.Smbd]);

        var ls = box.Exec("smbclient", "-N", "//127.0.0.1/share", "-c", "ls");
        Assert.Contains("hello.txt", ls.Stdout);
        var dbs = Sh.Run("ctdb", ["getdbmap"], new Dictionary<string, string> { ["CTDB_SOCKET"] = box.CtdbSocket });
        foreach (var db in CtdbAttachment.SmbdDatabases)
        {
            Assert.Contains($"name:{db} ", dbs.Stdout);
        }

        // The smbd parent dies: not running (nothing answers), and start brings a new one.
        Assert.True(ProcessTree.Signal(first, ProcessTree.SigKill));
        Assert.True(ProcessTree.WaitGone([first], DateTime.UtcNow.AddSeconds(10)));
        var crashed = box.Run("monitor");
        Assert.True(crashed.Code == 7, crashed.Stderr);
        Ok(box.Run("start"), "restart");
        var second = box.State!.Processes[SambaService.Smbd];
        Assert.NotEqual(first, second);
        Ok(box.Run("monitor"), "monitor after restart");

        // A stopped smbd is a failure at once, well within the probe timeout.
        Assert.True(ProcessTree.Signal(second, 19));
        try
        {
            // The signal takes effect when smbd is next scheduled.
            Assert.True(SpinWait.SpinUntil(() => second.Current() is { IsStopped: true }, TimeSpan.FromSeconds(10)), "smbd did not stop");
            var clock = Stopwatch.StartNew();
            var hung = box.Run("monitor", ("negotiate_timeout", "3"));
            Assert.Equal(1, hung.Code);
            Assert.Contains($"smbd (pid {second.Pid}) is stopped", hung.Reason);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"monitor took {clock.Elapsed}");
        }
        finally
        {
            ProcessTree.Signal(second, ProcessTree.SigCont);
        }

        var family = ProcessTree.WithDescendants(second);
        Assert.True(family.Count > 1, "smbd has no children to stop");
        Ok(box.Run("stop"), "stop");
        Assert.All(family, p => Assert.False(p.IsAlive, $"pid {p.Pid} survived stop"));
        Assert.Empty(SambaSandbox.Ours([first, second]));
        Assert.Equal("", box.Listening(445));
        Assert.Null(box.State);
        Assert.Equal(7, box.Run("monitor").Code);
        Ok(box.Run("stop"), "second stop");
    }

    [Fact]
    public void Start_refuses_when_another_server_holds_the_smb_port()
    {
        using var box = new SambaSandbox(root);
        var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true };
        foreach (var a in new[] { "netns", "exec", box.NsName, "python3", "-c",
            "import socket,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('0.0.0.0', 445)); s.listen(); print('up', flush=True); time.sleep(60)" })
        {
            psi.ArgumentList.Add(a);
        }
        using var other = Process.Start(psi)!;
        try
        {
            Assert.Equal("up", other.StandardOutput.ReadLine());
            var r = box.Run("start");
            Assert.Equal(1, r.Code);
            Assert.Equal("something else already listens on 127.0.0.1:445; disable Samba's own smbd service (systemctl disable --now smbd)", r.Reason);
            Assert.Equal(7, box.Run("monitor", ("CRM_meta_interval", "0")).Code);
        }
        finally
        {
            other.Kill();
            other.WaitForExit();
        }
        Ok(box.Run("start"), "start once the port is free");
        Ok(box.Run("stop"), "stop");
    }

    [Fact]
    public void Start_creates_a_missing_state_directory()
    {
        using var box = new SambaSandbox(root);
        var rsctmp = Path.Combine(box.Dir, "rsctmp", "not-yet");
        Ok(box.Run("start", ("HA_RSCTMP", rsctmp)), "start");
        Assert.True(File.Exists(InstanceState.PathFor(rsctmp, box.Config)));
        Ok(box.Run("monitor", ("HA_RSCTMP", rsctmp)), "monitor");
        Ok(box.Run("stop", ("HA_RSCTMP", rsctmp)), "stop");
        Assert.False(File.Exists(InstanceState.PathFor(rsctmp, box.Config)));
    }

    [Fact]
    public void A_hung_smbd_is_killed_with_its_children_before_the_stop_timeout()
    {
        using var box = new SambaSandbox(root);
        Ok(box.Run("start"), "start");
        var smbd = box.State!.Processes[SambaService.Smbd];
        var family = ProcessTree.WithDescendants(smbd);
        // Held in a ptrace stop by a tracer that never lets it go: neither SIGTERM nor SIGCONT
        // gets it running again (as with a daemon stuck in a debugger); only SIGKILL ends it.
        using var tracer = Tracer.Hold(smbd.Pid);
        Assert.True(SpinWait.SpinUntil(() => smbd.Current() is { IsStopped: true }, TimeSpan.FromSeconds(10)), "smbd did not stop");
        var clock = Stopwatch.StartNew();
        var stop = box.Run("stop", ("CRM_meta_timeout", "8000"));
        Ok(stop, "stop");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"stop took {clock.Elapsed}");
        Assert.Contains("sending SIGKILL", stop.Stderr);
        Assert.All(family, p => Assert.False(p.IsAlive, $"pid {p.Pid} survived stop"));
        Assert.Equal("", box.Listening(445));
    }

    [Fact]
    public void A_hung_smbd_gets_ten_seconds_of_sigterm_however_long_the_stop_timeout()
    {
        using var box = new SambaSandbox(root);
        Ok(box.Run("start"), "start");
        var smbd = box.State!.Processes[SambaService.Smbd];
        using var tracer = Tracer.Hold(smbd.Pid);
        Assert.True(SpinWait.SpinUntil(() => smbd.Current() is { IsStopped: true }, TimeSpan.FromSeconds(10)), "smbd did not stop");
        var clock = Stopwatch.StartNew();
        var stop = box.Run("stop", ("CRM_meta_timeout", "120000"));
        Ok(stop, "stop");
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(9.5), TimeSpan.FromSeconds(20));
        Assert.Contains("sending SIGKILL", stop.Stderr);
        Assert.False(smbd.IsAlive);
    }

    [Fact]
    public void A_monitor_waits_cluster_wait_on_an_smbd_stalled_by_the_cluster_database_then_fails()
    {
        using var box = new SambaSandbox(root);
        (string, string) wait = ("cluster_wait", "12");
        (string, string) probe = ("negotiate_timeout", "2");
        Ok(box.Run("start", wait, probe), "start");
        Ok(box.Run("monitor", wait, probe), "monitor");
        int ctdb = box.CtdbPid ?? throw new InvalidOperationException("no ctdb-pcmkd pid");
        Assert.True(DaemonProcess.Signal(ctdb, 19)); // SIGSTOP: the database hangs, smbd with it
        try
        {
            var waited = box.Run("monitor", wait, probe);
            var since = Stopwatch.StartNew(); // the wait counts from that monitor's end, at the latest
            Ok(waited, "monitor while the cluster database hangs");
            Assert.Contains("does not serve either", waited.Stderr);
            Assert.Contains("ctdb-pcmkd does not answer", waited.Stderr);
            Ok(box.Run("monitor", wait, probe), "monitor within cluster_wait");
            var left = TimeSpan.FromSeconds(12.5) - since.Elapsed;
            if (left > TimeSpan.Zero)
            {
                Thread.Sleep(left);
            }
            var failed = box.Run("monitor", wait, probe);
            Assert.Equal(1, failed.Code);
            Assert.Contains("has not served for", failed.Reason);
            // cluster_wait=0: no wait at all.
            var strict = box.Run("monitor", ("cluster_wait", "0"), probe);
            Assert.Equal(1, strict.Code);
            Assert.Contains("does not serve", strict.Reason);
            Assert.DoesNotContain("has not served for", strict.Reason);
        }
        finally
        {
            DaemonProcess.Signal(ctdb, 18); // SIGCONT
        }
        Assert.True(SpinWait.SpinUntil(() => box.Run("monitor", wait, probe).Code == 0, TimeSpan.FromSeconds(30)), "smbd did not serve again");
        Ok(box.Run("stop"), "stop");
    }

    [Fact]
    public void Winbindd_is_pinged_and_its_death_fails_the_monitor()
    {
        using var box = new SambaSandbox(root);
        (string, string) both = ("services", "smbd,winbindd");
        Ok(box.Run("start", both), "start");
        var state = box.State!;
        Assert.Equal([SambaService.Winbindd, SambaService.Smbd], state.Services);
        Ok(box.Run("monitor", both), "monitor");
        Assert.Equal(ProbeOutcome.Answered, WinbindPing.Ping(Path.Combine(box.Dir, "wb", "pipe"), TimeSpan.FromSeconds(5)).Outcome);

        var winbindd = state.Processes[SambaService.Winbindd];
        Assert.True(ProcessTree.Signal(winbindd, ProcessTree.SigKill));
        Assert.True(ProcessTree.WaitGone([winbindd], DateTime.UtcNow.AddSeconds(10)));
        var failed = box.Run("monitor", both);
        Assert.Equal(1, failed.Code);
        Assert.Contains("winbindd not running", failed.Reason);

        // start restarts only what is missing.
        Ok(box.Run("start", both), "restart");
        Assert.Equal(state.Processes[SambaService.Smbd], box.State!.Processes[SambaService.Smbd]);
        var second = box.State!.Processes[SambaService.Winbindd];
        Assert.NotEqual(winbindd, second);
        Ok(box.Run("monitor", both), "monitor after restart");

        // Dropped from services: the next start stops it instead of forgetting it.
        Ok(box.Run("start"), "start with smbd only");
        Assert.False(second.IsAlive, "winbindd still runs after it was dropped from services");
        Assert.Equal([SambaService.Smbd], box.State!.Services);
        Ok(box.Run("monitor"), "monitor with smbd only");
        Ok(box.Run("stop"), "stop");
        Assert.Empty(SambaSandbox.Ours([.. state.Processes.Values, second]));
        Assert.False(File.Exists(Path.Combine(box.Dir, "wb", "pipe")) && WinbindPing.Ping(Path.Combine(box.Dir, "wb", "pipe"), TimeSpan.FromSeconds(1)).Answered);
    }

    [Fact]
    public void Nmbd_is_started_watched_and_stopped_with_smbd()
    {
        // NetBIOS on, on the namespace's veth (nmbd needs a broadcast interface).
        using var box = new SambaSandbox(root, "disable netbios = no", "interfaces = v0 lo", "smb ports = 445 139");
        (string, string) both = ("services", "nmbd smbd");
        Ok(box.Run("start", both), "start");
        var state = box.State!;
        Assert.Equal([SambaService.Nmbd, SambaService.Smbd], state.Services);
        var nmbd = state.Processes[SambaService.Nmbd];
        Assert.Equal("nmbd", File.ReadAllText($"/proc/{nmbd.Pid}/comm").Trim());
        Ok(box.Run("monitor", both), "monitor");
        Assert.True(ProcessTree.Signal(nmbd, ProcessTree.SigKill));
        Assert.True(ProcessTree.WaitGone([nmbd], DateTime.UtcNow.AddSeconds(10)));
        var failed = box.Run("monitor", both);
        Assert.Equal(1, failed.Code);
        Assert.Contains("nmbd not running", failed.Reason);
        Ok(box.Run("stop", both), "stop");
        Assert.Empty(SambaSandbox.Ours(state.Processes.Values));
        Assert.Equal("", box.Listening(139));
    }

    [Fact]
    public void A_smbd_that_exits_at_start_fails_start_with_its_own_words()
    {
        using var box = new SambaSandbox(root);
        var r = box.Run("start", ("smbd_options", "--no-such-option"));
        Assert.Equal(1, r.Code);
        Assert.StartsWith("smbd (pid ", r.Reason);
        Assert.Contains("exited during start", r.Reason);
        Assert.Contains("no-such-option", r.Reason);
        Assert.Equal(7, box.Run("monitor").Code);
        Ok(box.Run("stop"), "stop");
    }

    [Fact]
    public void Validate_all_refuses_a_config_without_clustering()
    {
        using var box = new SambaSandbox(root);
        File.WriteAllText(box.Config, File.ReadAllText(box.Config).Replace("clustering = yes", "clustering = no", StringComparison.Ordinal));
        var r = box.Run("validate-all");
        Assert.Equal(6, r.Code);
        Assert.Contains("'clustering = no'", r.Reason);
        Assert.Equal(6, box.Run("start").Code);
        Assert.Null(box.State);
    }

    [Fact]
    public void Ocf_tester_passes()
    {
        using var box = new SambaSandbox(root);
        var args = new List<string> { "netns", "exec", box.NsName, "ocf-tester", "-n", "samba-test" };
        foreach (var (name, value) in box.Parameters())
        {
            if (!name.StartsWith("CRM_", StringComparison.Ordinal))
            {
                args.AddRange(["-o", $"{name}={value}"]);
            }
        }
        args.Add(root.Agent("samba"));
        var r = Sh.Run("ip", args, new Dictionary<string, string> { ["OCF_ROOT"] = root.Root, ["HA_RSCTMP"] = box.Dir }, 300_000);
        Assert.True(r.Code == 0, r.Stdout + r.Stderr);
        Assert.Contains("passed all tests", r.Stdout);
    }
}
