// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.HealthOcf;

namespace CtdbPcmk.Agents.Tests;

/// <summary>
/// ocf:ctdb:health in-process with a fake meminfo and an attrd_updater stand-in that records its
/// arguments (attrd needs a running cluster; the real attribute is exercised in the Pacemaker box).
/// </summary>
public sealed class HealthAgentTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("health-").FullName;

    public HealthAgentTests()
    {
        File.SetUnixFileMode(_dir, (UnixFileMode)0x1ED);
        Updater = Path.Combine(_dir, "attrd_updater");
        File.WriteAllText(Updater, $"#!/bin/sh\necho \"$*\" >> {Calls}\n");
        File.SetUnixFileMode(Updater, (UnixFileMode)0x1ED);
        SetMemoryUsed(50);
    }

    public string Updater { get; }

    private string Calls => Path.Combine(_dir, "calls");

    private string MeminfoFile => Path.Combine(_dir, "meminfo");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void SetMemoryUsed(int percent) =>
        File.WriteAllText(MeminfoFile, $"MemTotal: 1000000 kB\nMemFree: 1 kB\nMemAvailable: {(100 - percent) * 10000} kB\n");

    private string[] RecordedCalls() => File.Exists(Calls) ? File.ReadAllLines(Calls) : [];

    internal (string Name, string Value)[] Env(params (string Name, string Value)[] extra)
    {
        var env = new Dictionary<string, string>
        {
            ["OCF_RESOURCE_INSTANCE"] = "health",
            ["HA_RSCTMP"] = Path.Combine(_dir, "rsctmp"),
            ["OCF_RESKEY_attrd_updater"] = Updater,
            ["OCF_RESKEY_meminfo"] = MeminfoFile,
            ["OCF_RESKEY_filesystems"] = _dir + ":0:0",
            ["OCF_RESKEY_check_daemon"] = "false",
        };
        foreach (var (name, value) in extra)
        {
            env[name] = value;
        }
        return [.. env.Select(kv => (kv.Key, kv.Value))];
    }

    private AgentRun Run(string action, params (string, string)[] extra) => AgentRun.Of(new HealthAgent(), action, Env(extra));

    [Fact]
    public void Start_monitor_stop_publish_and_remove_the_attribute()
    {
        Assert.Equal(7, Run("monitor", ("OCF_RESKEY_CRM_meta_interval", "0")).ExitCode);
        Assert.Equal(0, Run("start").ExitCode);
        Assert.Equal(0, Run("monitor").ExitCode);
        Assert.Equal(0, Run("monitor").ExitCode);          // unchanged: attrd is not asked again
        SetMemoryUsed(85);
        var yellow = Run("monitor");
        Assert.Equal(0, yellow.ExitCode);
        Assert.Contains("#health-ctdb green -> yellow: memory 85% used (warning 80%)", yellow.Stderr);
        SetMemoryUsed(95);
        Assert.Equal(0, Run("monitor").ExitCode);          // red, but the agent runs: 0
        Assert.Equal(0, Run("monitor", ("OCF_RESKEY_CRM_meta_interval", "0")).ExitCode);   // a probe republishes
        SetMemoryUsed(10);
        Assert.Equal(0, Run("monitor").ExitCode);
        Assert.Equal(0, Run("stop").ExitCode);
        Assert.Equal(7, Run("monitor").ExitCode);
        Assert.Equal(0, Run("stop").ExitCode);
        Assert.Equal(
            ["-n #health-ctdb -U green", "-n #health-ctdb -U yellow", "-n #health-ctdb -U red", "-n #health-ctdb -U red",
             "-n #health-ctdb -U green", "-n #health-ctdb -D", "-n #health-ctdb -D"],
            RecordedCalls());
    }

    [Fact]
    public void Dampening_and_the_attribute_name_are_passed_on()
    {
        Assert.Equal(0, Run("start", ("OCF_RESKEY_dampen", "5s"), ("OCF_RESKEY_attribute", "#health-db")).ExitCode);
        Assert.Equal(["-n #health-db -B green -d 5s"], RecordedCalls());
    }

    [Fact]
    public void A_missing_daemon_makes_the_node_red_and_start_still_succeeds()
    {
        var r = Run("start", ("OCF_RESKEY_check_daemon", "true"), ("OCF_RESKEY_ctdb_socket", _dir + "/no.socket"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains($"#health-ctdb = red: daemon not running (no socket {_dir}/no.socket)", r.Stderr);
        Assert.Equal(["-n #health-ctdb -U red"], RecordedCalls());
    }

    [Fact]
    public void A_failing_attrd_updater_fails_start_with_its_error()
    {
        File.WriteAllText(Updater, "#!/bin/sh\necho 'Could not contact attrd' >&2\nexit 102\n");
        var r = Run("start");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"{Updater} -n #health-ctdb -U green failed (102): Could not contact attrd", r.Reason);
        Assert.Equal(7, Run("monitor").ExitCode);
        Assert.Equal(0, Run("stop").ExitCode);
    }

    [Theory]
    [InlineData("OCF_RESKEY_attrd_updater", "/nonexistent/attrd_updater", 5, "/nonexistent/attrd_updater is not installed (Pacemaker's command line tools)")]
    [InlineData("OCF_RESKEY_memory_warn", "95", 6, "memory_warn/memory_critical: warning threshold 95% is above the critical threshold 90%")]
    [InlineData("OCF_RESKEY_memory_critical", "101", 6, "parameter 'memory_critical': 101 is out of range [0, 100]")]
    [InlineData("OCF_RESKEY_filesystems", "var/lib/ctdb", 6, "filesystems: 'var/lib/ctdb' is not PATH[:WARN[:CRITICAL]] with an absolute PATH")]
    [InlineData("OCF_RESKEY_filesystems", "/var:99:98", 6, "filesystems: warning threshold 99% is above the critical threshold 98%")]
    [InlineData("OCF_RESKEY_attribute", "ctdb-health", 6, "attribute 'ctdb-health' must be a node health attribute name (#health-NAME, no blanks)")]
    [InlineData("OCF_RESKEY_dampen", "soon", 6, "dampen 'soon' is not a time (e.g. 0, 5s, 1min)")]
    [InlineData("OCF_RESKEY_check_daemon", "maybe", 6, "parameter 'check_daemon': 'maybe' is not a boolean")]
    public void Bad_parameters_give_the_ocf_code_and_reason(string name, string value, int code, string reason)
    {
        foreach (var action in new[] { "validate-all", "start" })
        {
            var r = Run(action, (name, value));
            Assert.Equal(code, r.ExitCode);
            Assert.Equal(reason, r.Reason);
        }
        Assert.Empty(RecordedCalls());
    }
}
