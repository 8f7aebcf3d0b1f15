// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Agents.Tests;

/// <summary>ocf:ctdb:health from the published OCF root: ocf-tester and meta-data as nobody.</summary>
[Collection(OcfRootGroup.Name)]
public sealed class HealthNativeTests(OcfRootFixture root) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("health-native-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string FakeUpdater()
    {
        File.SetUnixFileMode(_dir, (UnixFileMode)0x1ED);
        var updater = Path.Combine(_dir, "attrd_updater");
        File.WriteAllText(updater, $"#!/bin/sh\necho \"$*\" >> {_dir}/calls\n");
        File.SetUnixFileMode(updater, (UnixFileMode)0x1ED);
        return updater;
    }

    [Fact]
    public void Ocf_tester_passes()
    {
        var updater = FakeUpdater();
        var r = Sh.Run("ocf-tester",
            ["-n", "health", "-o", "attrd_updater=" + updater, "-o", "check_daemon=false", "-o", "filesystems=/:0:0", root.Agent("health")],
            new Dictionary<string, string> { ["OCF_ROOT"] = root.Root, ["HA_RSCTMP"] = Path.Combine(_dir, "rsctmp") }, 300_000);
        Assert.True(r.Code == 0, r.Stdout + r.Stderr);
        Assert.Contains("passed all tests", r.Stdout);
        var calls = File.ReadAllLines(Path.Combine(_dir, "calls"));
        Assert.Contains("-n #health-ctdb -D", calls);
        Assert.All(calls, c => Assert.Matches("^-n #health-ctdb (-U (green|yellow|red)|-D)$", c));
    }

    [Fact]
    public void Meta_data_works_as_nobody_and_is_the_file()
    {
        var expected = File.ReadAllText(RepoPaths.Metadata("health"));
        var nobody = Sh.Run("setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", root.Agent("health"), "meta-data"]);
        Assert.Equal(0, nobody.Code);
        Assert.Equal(expected, nobody.Stdout);
        Assert.Contains("health", Sh.Check(root.Binary, "--list").Stdout.Split('\n'));
    }

    [Fact]
    public void The_native_agent_reads_the_real_meminfo_and_daemon_state()
    {
        var updater = FakeUpdater();
        var env = new Dictionary<string, string>
        {
            ["OCF_RESOURCE_INSTANCE"] = "health",
            ["HA_RSCTMP"] = Path.Combine(_dir, "rsctmp"),
            ["OCF_RESKEY_attrd_updater"] = updater,
            ["OCF_RESKEY_memory_warn"] = "0",
            ["OCF_RESKEY_memory_critical"] = "100",
            ["OCF_RESKEY_ctdb_socket"] = Path.Combine(_dir, "none.socket"),
        };
        var start = Sh.Run(root.Agent("health"), ["start"], env);
        Assert.Equal(0, start.Code);
        Assert.Contains("#health-ctdb = red: daemon not running", start.Stderr);
        Assert.Equal(0, Sh.Run(root.Agent("health"), ["monitor"], env).Code);
        Assert.Equal(0, Sh.Run(root.Agent("health"), ["stop"], env).Code);
        Assert.Equal(["-n #health-ctdb -U red", "-n #health-ctdb -D"], File.ReadAllLines(Path.Combine(_dir, "calls")));
    }
}
