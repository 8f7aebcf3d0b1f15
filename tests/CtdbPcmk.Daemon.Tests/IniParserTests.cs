// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Daemon.Config;

namespace CtdbPcmk.Daemon.Tests;

public sealed class IniParserTests
{
    [Fact]
    public void Reads_tab_indented_sections_comments_and_keys_with_spaces()
    {
        const string text =
            "# See ctdb.conf(5)\n" +
            "; another comment\n" +
            "\n" +
            "[logging]\n" +
            "\t# Enable logging to syslog\n" +
            "\tlocation = syslog\n" +
            "\t\tlog level=NOTICE\n" +
            "  [ Cluster ]  \r\n" +
            "\tNode   Address = 10.0.0.1  \r\n" +
            "\tcluster lock = !/usr/bin/helper arg;#x\n" +
            "\tempty =\n";
        var entries = IniParser.Parse("c.conf", text);
        Assert.Equal(
            [
                new IniEntry("logging", "location", "syslog", 6),
                new IniEntry("logging", "log level", "NOTICE", 7),
                new IniEntry("cluster", "node address", "10.0.0.1", 9),
                new IniEntry("cluster", "cluster lock", "!/usr/bin/helper arg;#x", 10),
                new IniEntry("cluster", "empty", "", 11),
            ],
            entries);
    }

    [Fact]
    public void Empty_and_comment_only_files_have_no_entries()
    {
        Assert.Empty(IniParser.Parse("c.conf", ""));
        Assert.Empty(IniParser.Parse("c.conf", "# only\n\t; comments\n\n"));
    }

    [Theory]
    [InlineData("[cluster\n", "c.conf:1: section header without closing ']'")]
    [InlineData("\n[]\n", "c.conf:2: empty section name")]
    [InlineData("[cluster]\n\tnode address\n", "c.conf:2: expected '[section]' or 'key = value'")]
    [InlineData("[cluster]\n\n\t= 10.0.0.1\n", "c.conf:3: missing key before '='")]
    [InlineData("# c\nport = 1\n", "c.conf:2: option 'port' is outside any section")]
    [InlineData("[cluster]\nport = 1\n[database]\n[cluster]\n Port = 2\n", "c.conf:5: duplicate option 'port' in [cluster] (first set at line 2)")]
    public void Syntax_errors_name_file_and_line(string text, string expectedPrefix)
    {
        var e = Assert.Throws<ConfigError>(() => IniParser.Parse("c.conf", text));
        Assert.StartsWith(expectedPrefix, e.Message, StringComparison.Ordinal);
    }
}
