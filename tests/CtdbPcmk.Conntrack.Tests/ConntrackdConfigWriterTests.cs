// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Net;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Conntrack.Tests;

/// <summary>The generated conntrackd.conf, the reading of an administrator's file, and the settings checks.</summary>
public sealed class ConntrackdConfigWriterTests
{
    private static readonly IPAddress s_sync = IPAddress.Parse("192.168.100.7");

    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public void Write_PutsSyncLinkAndStateDirInPlace()
    {
        var lines = Lines(ConntrackdConfigWriter.Write(new ConntrackdSettings(null, "bond1", "239.1.2.3", 3999, "/run/ctdb"), s_sync));

        Assert.Contains("Mode FTFW {", lines);
        Assert.Contains("Multicast {", lines);
        Assert.Contains("IPv4_address 239.1.2.3", lines);
        Assert.Contains("Group 3999", lines);
        Assert.Contains("IPv4_interface 192.168.100.7", lines);
        Assert.Contains("Interface bond1", lines);
        Assert.Contains("Path /run/ctdb/conntrackd.ctl", lines);
        Assert.Contains("LockFile /run/ctdb/conntrackd.lock", lines);
        Assert.Contains("LogFile /run/ctdb/conntrackd.log", lines);
        Assert.Contains("Syslog off", lines);
        Assert.Contains("Filter From Userspace {", lines);
        Assert.Contains("TCP", lines);
        Assert.Contains("IPv4_address 127.0.0.1", lines);
        // The sync link's own traffic is not replicated.
        Assert.Contains("IPv4_address 192.168.100.7", lines);
    }

    [Fact]
    public void Write_BracesBalanceAndEveryClauseIsOnItsOwnLine()
    {
        var text = ConntrackdConfigWriter.Write(ConntrackdTempDir.Generated("/run/ctdb"), s_sync);
        var depth = 0;
        foreach (var line in Lines(text).Where(l => !l.StartsWith('#')))
        {
            depth += line.Count(c => c == '{') - line.Count(c => c == '}');
            Assert.True(depth >= 0, line);
            Assert.True(line == "}" || line.EndsWith('{') || !line.Contains('{'), line);
        }
        Assert.Equal(0, depth);
        Assert.EndsWith("}\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 131072, 32768)]
    [InlineData(65536, 131072, 32768)]
    [InlineData(262144, 524288, 131072)]
    [InlineData(1000000, 2000000, 524288)]
    public void Write_SizesTheCacheFromTheKernelTable(int conntrackMax, int hashLimit, int hashSize)
    {
        var lines = Lines(ConntrackdConfigWriter.Write(ConntrackdTempDir.Generated("/run/ctdb"), s_sync, conntrackMax));
        Assert.Contains($"HashLimit {hashLimit}", lines);
        Assert.Contains($"HashSize {hashSize}", lines);
    }

    [Fact]
    public void Write_RejectsIPv6SyncAddressAndMissingInterface()
    {
        Assert.Throws<ArgumentException>(() => ConntrackdConfigWriter.Write(ConntrackdTempDir.Generated("/run/ctdb"), IPAddress.IPv6Loopback));
        Assert.Throws<ArgumentException>(() => ConntrackdConfigWriter.Write(new ConntrackdSettings("/etc/c.conf", null, "225.0.0.50", 3780, "/run"), s_sync));
    }

    [Fact]
    public void FindPaths_ReadsTheGeneratedFile()
    {
        var paths = ConntrackdConfigWriter.FindPaths(ConntrackdConfigWriter.Write(ConntrackdTempDir.Generated("/var/lib/x"), s_sync));
        Assert.Equal(new ConntrackdPaths("/var/lib/x/conntrackd.ctl", "/var/lib/x/conntrackd.lock"), paths);
    }

    [Fact]
    public void FindPaths_ReadsAnAdministratorsFile()
    {
        const string Text = """
            # UNIX { Path /commented/out.ctl }
            Sync {
            	Mode FTFW { }
            	Multicast {
            		Path /not/general.ctl
            	}
            }
            General {
            	HashSize 8192 # LockFile /in/a/comment
            	LockFile /var/lock/cluster-ct.lock
            	UNIX { Path /run/cluster-ct.ctl }
            	Filter From Userspace {
            		Protocol Accept {
            			TCP
            		}
            	}
            }
            Stats {
            	LockFile /not/general.lock
            }
            """;
        Assert.Equal(new ConntrackdPaths("/run/cluster-ct.ctl", "/var/lock/cluster-ct.lock"), ConntrackdConfigWriter.FindPaths(Text));
    }

    [Fact]
    public void FindPaths_WithoutClauses_GivesNoSocketAndTheDefaultLock()
    {
        var paths = ConntrackdConfigWriter.FindPaths("General {\n\tHashSize 8192\n}\n");
        Assert.Null(paths.UnixSocket);
        Assert.Equal("/var/lock/conntrackd.lock", paths.LockFile);
    }

    [Theory]
    [InlineData("eth0", true)]
    [InlineData("bond0.100", true)]
    [InlineData("br-sync", true)]
    [InlineData("beef0", true)]
    [InlineData("d0", false)]
    [InlineData("dead", false)]
    [InlineData("0eth", false)]
    [InlineData("eth0:1", false)]
    [InlineData("a-very-long-name", false)]
    public void InterfaceNames_AreThoseConntrackdReads(string name, bool ok) =>
        Assert.Equal(ok, ConntrackdSettings.IsInterfaceWord(name));

    [Theory]
    [InlineData("OCF_RESKEY_conntrackd_group", "10.0.0.1", "conntrackd_group")]
    [InlineData("OCF_RESKEY_conntrackd_group", "ff02::1", "conntrackd_group")]
    [InlineData("OCF_RESKEY_conntrackd_interface", "d0", "conntrackd_interface")]
    [InlineData("OCF_RESKEY_conntrackd_config", "conntrackd.conf", "conntrackd_config")]
    public void Settings_RejectWhatCannotBeUsed(string variable, string value, string named)
    {
        var env = new Dictionary<string, string> { ["OCF_RESKEY_conntrackd_interface"] = "eth1", [variable] = value };
        var e = Assert.Throws<OcfException>(() => Settings(env, "/run/ctdb"));
        Assert.Equal(OcfExitCode.ErrConfigured, e.Code);
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_RejectAStateDirTooLongForTheSocket()
    {
        var env = new Dictionary<string, string> { ["OCF_RESKEY_conntrackd_interface"] = "eth1" };
        var e = Assert.Throws<OcfException>(() => Settings(env, "/run/" + new string('x', 100)));
        Assert.Contains("too long", e.Message, StringComparison.Ordinal);
        Assert.Throws<OcfException>(() => Settings(env, "/run/with space"));
    }

    [Fact]
    public void Settings_TakeDefaultsAndTheAdministratorsFile()
    {
        var generated = Settings(new Dictionary<string, string> { ["OCF_RESKEY_conntrackd_interface"] = "eth1" }, "/run/ctdb");
        Assert.Equal(new ConntrackdSettings(null, "eth1", "225.0.0.50", 3780, "/run/ctdb"), generated);
        var own = Settings(new Dictionary<string, string> { ["OCF_RESKEY_conntrackd_config"] = "/etc/conntrackd/conntrackd.conf" }, "/run/ctdb");
        Assert.Equal("/etc/conntrackd/conntrackd.conf", own.ConfigFile);
    }

    /// <summary>The real conntrackd (Debian 12) runs with the generated file, in a namespace of its own.</summary>
    [Fact]
    public void Write_IsAcceptedByConntrackd()
    {
        using var dir = new ConntrackdTempDir();
        using var a = ConntrackdNetns.Create();
        using var b = ConntrackdNetns.Create();
        ConntrackdNetns.Link(a, "sync0", "10.231.7.1/24", b, "sync0", "10.231.7.2/24");
        var config = Path.Combine(dir.Path, "conntrackd.conf");
        File.WriteAllText(config, ConntrackdConfigWriter.Write(ConntrackdTempDir.Generated(dir.Path), IPAddress.Parse("10.231.7.1"), 262144));

        // In the foreground, so that the test owns its PID.
        var daemon = a.Start("conntrackd", "-C", config);
        var clock = Stopwatch.StartNew();
        Sh.Result stats;
        while (!(stats = a.Run("conntrackd", "-C", config, "-s")).Ok && clock.Elapsed < TimeSpan.FromSeconds(10) && !daemon.HasExited)
        {
            Thread.Sleep(100);
        }
        var log = File.Exists(Path.Combine(dir.Path, "conntrackd.log")) ? File.ReadAllText(Path.Combine(dir.Path, "conntrackd.log")) : "";
        Assert.True(stats.Ok, $"conntrackd -s: {stats}\nlog: {log}");
        Assert.Contains("cache internal", stats.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("[ERROR]", log, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir.Path, "conntrackd.lock")));
        a.Ok("conntrackd", "-C", config, "-k");
        Assert.True(daemon.WaitForExit(10_000));
    }

    private static ConntrackdSettings Settings(Dictionary<string, string> variables, string stateDir)
    {
        var parameters = new OcfParameters(ConntrackParameters.All, OcfEnvironment.From(variables));
        return ConntrackdSettings.Parse(parameters, stateDir);
    }
}
