// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using CtdbPcmk.Health;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Agents.Tests;

/// <summary>The node health checks with fake meminfo content, df arithmetic and daemon states.</summary>
public sealed class HealthCheckTests
{
    private static readonly Thresholds s_limits = new(80, 90);

    private static string Meminfo(ulong totalKb, ulong availableKb) =>
        $"MemTotal:       {totalKb} kB\nMemFree:          12345 kB\nMemAvailable:   {availableKb} kB\nBuffers:           100 kB\nCached:          2000 kB\n";

    [Theory]
    [InlineData(300_000, HealthColor.Green, null)]
    [InlineData(200_001, HealthColor.Green, null)]
    [InlineData(200_000, HealthColor.Yellow, "memory 80% used (warning 80%)")]
    [InlineData(150_000, HealthColor.Yellow, "memory 85% used (warning 80%)")]
    [InlineData(100_000, HealthColor.Red, "memory 90% used (critical 90%)")]
    [InlineData(0, HealthColor.Red, "memory 100% used (critical 90%)")]
    public void Memory_usage_is_total_minus_available(int availableKb, HealthColor color, string? reason)
    {
        var r = MemoryCheck.Evaluate(Meminfo(1_000_000, (ulong)availableKb), s_limits);
        Assert.Equal(color, r.Color);
        Assert.Equal(reason is null ? [] : [reason], r.Reasons);
    }

    [Fact]
    public void Without_MemAvailable_free_buffers_and_cached_count_as_available()
    {
        const string old = "MemTotal: 1000 kB\nMemFree: 50 kB\nBuffers: 20 kB\nCached: 30 kB\nSwapCached: 999 kB\n";
        Assert.Equal(90.0, MemoryCheck.UsedPercent(old));
        Assert.Equal(HealthColor.Red, MemoryCheck.Evaluate(old, s_limits).Color);
    }

    [Fact]
    public void Meminfo_without_the_fields_is_yellow_with_a_reason()
    {
        var r = MemoryCheck.Evaluate("garbage\nMemFree: x kB\n", s_limits);
        Assert.Equal(HealthColor.Yellow, r.Color);
        Assert.Contains("memory usage unknown", r.Reasons[0]);
        Assert.Equal(HealthColor.Yellow, MemoryCheck.Run(s_limits, "/nonexistent/meminfo").Color);
    }

    [Fact]
    public void The_real_meminfo_parses()
    {
        var used = MemoryCheck.UsedPercent(File.ReadAllText(MemoryCheck.ProcMeminfo));
        Assert.NotNull(used);
        Assert.InRange(used.Value, 0.0, 100.0);
    }

    [Fact]
    public void Zero_switches_a_threshold_off()
    {
        Assert.Equal(HealthColor.Green, new Thresholds(0, 0).Evaluate(100));
        Assert.Equal(HealthColor.Yellow, new Thresholds(50, 0).Evaluate(100));
        Assert.Equal(HealthColor.Red, new Thresholds(0, 50).Evaluate(50));
    }

    [Theory]
    [InlineData(90, 80)]
    [InlineData(101, 0)]
    [InlineData(-1, 0)]
    public void Inconsistent_thresholds_are_refused(int warn, int critical) =>
        Assert.Throws<FormatException>(() => Thresholds.Create(warn, critical));

    [Fact]
    public void Filesystem_list_takes_per_path_limits_or_the_defaults()
    {
        var list = FilesystemLimit.ParseList("/var/lib/ctdb:70:80, /srv , /data:60", new Thresholds(90, 95));
        Assert.Equal(
            [new("/var/lib/ctdb", new(70, 80)), new("/srv", new(90, 95)), new("/data", new(60, 95))],
            list);
        Assert.Empty(FilesystemLimit.ParseList("", new Thresholds(90, 95)));
    }

    [Theory]
    [InlineData("var/lib")]
    [InlineData("/a:x")]
    [InlineData("/a:1:2:3")]
    [InlineData("/a:95:90")]
    [InlineData("/a:101")]
    public void Malformed_filesystem_entries_are_refused(string text) =>
        Assert.Throws<FormatException>(() => FilesystemLimit.ParseList(text, new Thresholds(90, 95)));

    [Fact]
    public void Filesystem_usage_is_computed_as_df_does()
    {
        // 900 blocks used, 50 more available to users (50 reserved for root): 900 / 950.
        Assert.Equal(900 * 100.0 / 950, FilesystemCheck.UsedPercent(1000, 100, 50));
        Assert.Equal(0.0, FilesystemCheck.UsedPercent(1000, 1000, 1000));
        Assert.Null(FilesystemCheck.UsedPercent(0, 0, 0));
    }

    [Fact]
    public void Filesystem_usage_of_a_real_path_matches_df()
    {
        var ours = FilesystemCheck.Usage("/");
        Assert.NotNull(ours);
        var df = Sh.Run("df", ["--output=pcent", "/"]).Stdout.Split('\n')[1].Trim().TrimEnd('%');
        // df rounds up.
        Assert.Equal(int.Parse(df, CultureInfo.InvariantCulture), (int)Math.Ceiling(ours.Value));

        // A path that does not exist yet is checked where it would be created.
        var missing = FilesystemCheck.Run(new FilesystemLimit("/nonexistent/deeper/path", new Thresholds(0, 0)));
        Assert.Equal(HealthColor.Green, missing.Color);
        var full = (int)Math.Floor(ours.Value);
        if (full >= 1)
        {
            var r = FilesystemCheck.Run(new FilesystemLimit("/nonexistent/x", new Thresholds(0, full)));
            Assert.Equal(HealthColor.Red, r.Color);
            Assert.Equal($"file system of /nonexistent/x {full}% used (critical {full}%)", r.Reasons.Single());
        }
    }

    [Fact]
    public void A_read_only_file_system_is_red_however_empty_it_is()
    {
        // A small tmpfs mounted read-only (as ext4 remounts itself on an error): 0 % used.
        var dir = Directory.CreateTempSubdirectory("health-ro-").FullName;
        try
        {
            Sh.Run("mount", ["-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", dir]);
            try
            {
                var r = FilesystemCheck.Run(new FilesystemLimit(dir + "/db", new Thresholds(90, 95)));
                Assert.Equal(HealthColor.Red, r.Color);
                Assert.Equal($"file system of {dir}/db is read-only", r.Reasons.Single());
            }
            finally
            {
                Sh.Run("umount", [dir]);
            }
            // Writable again: green, and the write probe leaves nothing behind.
            Assert.Equal(HealthColor.Green, FilesystemCheck.Run(new FilesystemLimit(dir, new Thresholds(100, 100))).Color);
            Assert.Empty(Directory.EnumerateFileSystemEntries(dir));
        }
        finally
        {
            Directory.Delete(dir);
        }
    }

    [Theory]
    [InlineData(RunState.Running, 0u, HealthColor.Green, null)]
    [InlineData(RunState.FirstRecovery, 0u, HealthColor.Yellow, "daemon is not running yet (runstate FirstRecovery)")]
    [InlineData(RunState.Shutdown, 0u, HealthColor.Red, "daemon is shutting down")]
    [InlineData(RunState.Running, NodeFlags.Banned, HealthColor.Red, "daemon reports this node BANNED")]
    [InlineData(RunState.Running, NodeFlags.Stopped | NodeFlags.Unhealthy, HealthColor.Red, "daemon reports this node STOPPED|UNHEALTHY")]
    [InlineData(RunState.Running, NodeFlags.PermanentlyDisabled, HealthColor.Red, "daemon reports this node DISABLED")]
    [InlineData(RunState.Running, NodeFlags.Disconnected, HealthColor.Green, null)]
    public void Daemon_state_maps_to_a_colour(RunState runState, uint flags, HealthColor color, string? reason)
    {
        var r = DaemonCheck.Evaluate(runState, flags);
        Assert.Equal(color, r.Color);
        Assert.Equal(reason is null ? [] : [reason], r.Reasons);
    }

    [Fact]
    public void A_daemon_without_socket_is_red()
    {
        var r = DaemonCheck.Run("/nonexistent/ctdbd.socket", TimeSpan.FromSeconds(1));
        Assert.Equal(HealthResult.Of(HealthColor.Red, "daemon not running (no socket /nonexistent/ctdbd.socket)").ToString(), r.ToString());
    }

    [Fact]
    public void Results_combine_to_the_worst_colour_with_every_reason()
    {
        var r = HealthResult.Combine([HealthResult.Green, HealthResult.Of(HealthColor.Yellow, "a"), HealthResult.Of(HealthColor.Red, "b"), HealthResult.Of(HealthColor.Yellow, "c")]);
        Assert.Equal("red: a; b; c", r.ToString());
        Assert.Equal("green", HealthResult.Combine([]).ToString());
    }
}
