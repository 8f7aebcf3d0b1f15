// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Samba;

namespace CtdbPcmk.Agents.Tests;

/// <summary>The smb.conf reader on in-memory files: the syntax Samba's loader accepts, and errors with file:line.</summary>
public sealed class SmbConfReaderTests
{
    private static SmbConfFile Load(params (string Path, string Text)[] files)
    {
        var map = files.ToDictionary(f => f.Path, f => f.Text);
        return SmbConfReader.Load(files[0].Path, p => map.GetValueOrDefault(p));
    }

    private static SmbConfException Fails(params (string Path, string Text)[] files) =>
        Assert.Throws<SmbConfException>(() => Load(files));

    [Fact]
    public void Names_ignore_case_blanks_and_underscores_and_later_settings_win()
    {
        var conf = Load(("/etc/smb.conf", "[Global]\n  Bind Interfaces Only = Yes\n\tCTDBD_SOCKET=/a\nctdbd socket = /b\n[share]\npath = /srv\n"));
        Assert.Equal("Yes", conf.GetGlobal("bindinterfacesonly")!.Value);
        Assert.Equal("Yes", conf.GetGlobal("bind_interfaces_only")!.Value);
        var socket = conf.GetGlobal("ctdbd socket")!;
        Assert.Equal("/b", socket.Value);
        Assert.Equal("/etc/smb.conf:4", socket.Where);
        Assert.Equal("/srv", conf.Get("SHARE", "path")!.Value);
        Assert.Null(conf.GetGlobal("path"));
    }

    [Fact]
    public void Comments_are_whole_lines_only()
    {
        var conf = Load(("/s.conf", "# comment = 1\n   ; clustering = yes\n[global]\nworkgroup = W # not a comment\nrealm = R;X\n"));
        Assert.Null(conf.GetGlobal("comment"));
        Assert.Null(conf.GetGlobal("clustering"));
        Assert.Equal("W # not a comment", conf.GetGlobal("workgroup")!.Value);
        Assert.Equal("R;X", conf.GetGlobal("realm")!.Value);
    }

    [Fact]
    public void Backslash_continues_a_line_and_blanks_collapse()
    {
        var conf = Load(("/s.conf", "[global]\ninterfaces = eth0 \\\n    eth1\\\n\t eth2\nsmb ports = 445   \\ \n 139\nafter = 1\n"));
        Assert.Equal("eth0 eth1 eth2", conf.GetGlobal("interfaces")!.Value);
        Assert.Equal("445 139", conf.GetGlobal("smb ports")!.Value);
        Assert.Equal("/s.conf:7", conf.GetGlobal("after")!.Where);
        Assert.Equal([("[global]", 1), ("interfaces = eth0 eth1 eth2", 2), ("smb ports = 445 139", 5), ("after = 1", 7)],
            SmbConfReader.LogicalLines("[global]\ninterfaces = eth0 \\\n    eth1\\\n\t eth2\nsmb ports = 445   \\ \n 139\nafter = 1\n"));
    }

    [Fact]
    public void Includes_are_read_in_place_relative_to_the_including_file_and_missing_ones_are_skipped()
    {
        var conf = Load(
            ("/etc/samba/smb.conf", "[global]\nsecurity = user\ninclude = cluster.conf\ninclude = /nonexistent.conf\ninclude = /etc/samba/per-%m.conf\nworkgroup = MAIN\n"),
            ("/etc/samba/cluster.conf", "clustering = yes\nworkgroup = INC\n[data]\npath = /data\n"));
        Assert.Equal("yes", conf.GetGlobal("clustering")!.Value);
        Assert.Equal("/etc/samba/cluster.conf:1", conf.GetGlobal("clustering")!.Where);
        Assert.Equal("/data", conf.Get("data", "path")!.Value);
        // After the include the section is [data]: the later workgroup belongs to it.
        Assert.Equal("INC", conf.GetGlobal("workgroup")!.Value);
        Assert.Equal("MAIN", conf.Get("data", "workgroup")!.Value);
    }

    [Fact]
    public void An_include_loop_is_an_error_not_a_hang()
    {
        var e = Fails(("/a.conf", "[global]\ninclude = /b.conf\n"), ("/b.conf", "include = /a.conf\n"));
        Assert.Contains("includes nested deeper than 100", e.Message);
    }

    [Theory]
    [InlineData("[global]\nclustering = yes\nthis line has no equals sign\n", "/s.conf:3: expected '[section]' or 'name = value', found 'this line has no equals sign'")]
    [InlineData("[global\nclustering = yes\n", "/s.conf:1: section header '[global' has no closing ']'")]
    [InlineData("[ ]\n", "/s.conf:1: empty section name")]
    [InlineData("\n\n = yes\n", "/s.conf:3: expected '[section]' or 'name = value', found '= yes'")]
    [InlineData("[global]\ninclude = registry\n", "/s.conf:2: 'include = registry' reads settings from the registry")]
    [InlineData("[global]\nconfig backend = registry\n", "/s.conf:2: 'config backend = registry' keeps the configuration in the registry")]
    public void Errors_name_file_and_line(string text, string message)
    {
        Assert.StartsWith(message, Fails(("/s.conf", text)).Message);
    }

    [Fact]
    public void Errors_in_an_included_file_name_that_file()
    {
        var e = Fails(("/etc/smb.conf", "[global]\ninclude = /etc/inc.conf\n"), ("/etc/inc.conf", "ok = 1\n\nbroken\n"));
        Assert.StartsWith("/etc/inc.conf:3: expected", e.Message);
    }

    [Fact]
    public void A_missing_top_level_file_is_an_error()
    {
        Assert.Equal("/none.conf: no such file", Assert.Throws<SmbConfException>(() => SmbConfReader.Load("/none.conf", _ => null)).Message);
    }

    [Fact]
    public void Settings_take_samba_defaults_and_refuse_bad_values_with_their_line()
    {
        var defaults = SmbSettings.From(Load(("/s.conf", "[global]\nworkgroup = W\n")));
        Assert.False(defaults.Clustering);
        Assert.Equal("/run/ctdb/ctdbd.socket", defaults.CtdbdSocket);
        Assert.Null(defaults.CtdbdSocketSetting);
        Assert.Equal("auto", defaults.Security);
        Assert.Equal([445, 139], defaults.SmbPorts);
        Assert.False(defaults.BindInterfacesOnly);
        Assert.Equal("/run/samba", defaults.PidDirectory);
        Assert.Equal("/run/samba", defaults.LockDirectory);
        Assert.Equal("/run/samba/winbindd", defaults.WinbinddSocketDirectory);

        var set = SmbSettings.From(Load(("/s.conf",
            "[global]\nclustering = Yes\nctdbd socket = /x/s\nsecurity = ADS\nsmb ports = 4445,139\ninterfaces = 10.0.0.1/24;speed=1000 eth0\n"
            + "bind interfaces only = true\npid directory = /p/\nwinbindd socket directory = /w\n")));
        Assert.True(set.Clustering);
        Assert.Equal("/x/s", set.CtdbdSocket);
        Assert.Equal("ads", set.Security);
        Assert.Equal([4445, 139], set.SmbPorts);
        Assert.Equal(["10.0.0.1/24;speed=1000", "eth0"], set.Interfaces);
        Assert.Equal("10.0.0.1", ProbeAddress.Entry(set.Interfaces[0]));
        Assert.True(set.BindInterfacesOnly);
        Assert.Equal("/p", set.PidDirectory);
        Assert.Equal("/w", set.WinbinddSocketDirectory);

        Assert.Equal("/s.conf:2: 'clustering' is 'maybe', not a boolean (yes/no)",
            Assert.Throws<SmbConfException>(() => SmbSettings.From(Load(("/s.conf", "[global]\nclustering = maybe\n")))).Message);
        Assert.Equal("/s.conf:3: 'smb ports': '70000' is not a port number",
            Assert.Throws<SmbConfException>(() => SmbSettings.From(Load(("/s.conf", "[global]\n\nsmb ports = 445 70000\n")))).Message);
        Assert.Equal("/s.conf:2: 'pid directory' is 'run', not an absolute path",
            Assert.Throws<SmbConfException>(() => SmbSettings.From(Load(("/s.conf", "[global]\npid directory = run\n")))).Message);
    }
}
