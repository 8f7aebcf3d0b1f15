// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using CtdbPcmk.Nfs.Conf;

namespace CtdbPcmk.Agents.Tests;

/// <summary>ganesha.conf as the nfs agent reads it: blocks, lists, includes, and what a cluster needs.</summary>
public sealed class GaneshaConfTests : IDisposable
{
    private const string Good = """
        # a clustered server
        NFS_CORE_PARAM {
            Protocols = 3, 4;   # both
            NFS_Port = 2049;
            Bind_addr = 192.168.78.101;
        }
        NFSv4 { RecoveryBackend = fs; RecoveryRoot = "/srv/shared/ganesha"; Grace_Period = 20; Lease_Lifetime = 10; }
        EXPORT {
            Export_Id = 1;
            Path = "/srv/shared/data";
            Pseudo = /share;
            Access_Type = RW;
            CLIENT { Clients = 192.168.78.0/24, 10.0.0.1; Access_Type = RW; }
            FSAL { Name = VFS; }
        }
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("ganesha-conf-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void A_clustered_configuration_is_read_with_its_values()
    {
        var settings = GaneshaSettings.From(GaneshaConfReader.Parse(Good, "/etc/ganesha/ganesha.conf"));
        Assert.Equal(2049, settings.NfsPort);
        Assert.Equal(IPAddress.Parse("192.168.78.101"), settings.BindAddress);
        Assert.Equal("fs", settings.RecoveryBackend);
        Assert.Equal("/srv/shared/ganesha", settings.RecoveryRoot);
        Assert.Equal(20, settings.GracePeriod);
        Assert.Equal(10, settings.LeaseLifetime);
        var export = Assert.Single(settings.Exports);
        Assert.Equal((1, "/srv/shared/data", "/share", "VFS", 8), (export.Id, export.Path, export.Pseudo, export.Fsal, export.Line));
    }

    [Fact]
    public void Defaults_are_ganeshas_and_lists_keep_their_items()
    {
        var root = GaneshaConfReader.Parse("NFSv4 { RecoveryRoot = /shared; } EXPORT { Export_Id = 2; Path = /x; Pseudo = /x; FSAL { Name = VFS } Protocols = \"4\", \"3\" }", "g.conf");
        Assert.Equal("4, 3", root.Find("export")!.Get("PROTOCOLS")!.Value);
        var settings = GaneshaSettings.From(root);
        Assert.Equal(2049, settings.NfsPort);
        Assert.Equal(IPAddress.Any, settings.BindAddress);
        Assert.Equal(90, settings.GracePeriod);
    }

    [Fact]
    public void Includes_are_read_in_place_and_their_errors_name_the_included_file()
    {
        File.WriteAllText(Path.Combine(_dir, "exports.conf"), "EXPORT {\n Export_Id = 7; Path = /e; Pseudo = /e; FSAL { Name = VFS; }\n}\n");
        File.WriteAllText(Path.Combine(_dir, "main.conf"), "NFSv4 { RecoveryRoot = /shared; }\n%include \"exports.conf\"\n");
        var settings = GaneshaSettings.Load(Path.Combine(_dir, "main.conf"));
        Assert.Equal(7, Assert.Single(settings.Exports).Id);
        Assert.EndsWith("exports.conf", settings.Exports[0].File);

        File.WriteAllText(Path.Combine(_dir, "exports.conf"), "EXPORT {\n Export_Id = 7;\n Path = /e\n Pseudo = /e; }\n");
        var e = Assert.Throws<GaneshaConfException>(() => GaneshaSettings.Load(Path.Combine(_dir, "main.conf")));
        Assert.Equal(Path.Combine(_dir, "exports.conf") + ":4: value of 'Path' has 'Pseudo' where ';' or ',' was expected", e.Message);
    }

    [Theory]
    [InlineData("NFS_CORE_PARAM { Protocols = 3; }", 1, "does not enable NFSv4")]
    [InlineData("NFSv4 { RecoveryBackend = fs; }", 1, "RecoveryRoot is not set")]
    [InlineData("NFSv4 {\n RecoveryRoot = /var/lib/nfs/ganesha; }", 2, "node-local default")]
    [InlineData("NFSv4 { RecoveryBackend = nowhere; }", 1, "is not one of")]
    [InlineData("NFSv4 { RecoveryRoot = /s; Grace_Period = lots; }", 1, "'lots' is not a number")]
    [InlineData("NFS_CORE_PARAM { Bind_addr = eth0; }", 1, "not an IP address")]
    [InlineData("EXPORT {\n Path = /x; }", 1, "EXPORT has no Export_Id")]
    [InlineData("NFS_CORE_PARAM {\n NFS_Port = 2049;", 1, "block 'NFS_CORE_PARAM' is not closed")]
    [InlineData("}\n", 1, "'}' without a block")]
    [InlineData("Log_Level = x;", 1, "outside any block")]
    [InlineData("NFSv4 {\n\n RecoveryRoot = \"/s; }", 3, "quoted string is not closed")]
    [InlineData("%url http://x/ganesha.conf", 1, "cannot be read by the agent")]
    public void Errors_name_the_file_and_line(string text, int line, string message)
    {
        var full = text.Contains("EXPORT", StringComparison.Ordinal) || text.Contains('%', StringComparison.Ordinal)
            ? text
            : text + "\nEXPORT { Export_Id = 1; Path = /x; Pseudo = /x; FSAL { Name = VFS; } }";
        if (!full.Contains("NFSv4", StringComparison.Ordinal))
        {
            full = "NFSv4 { RecoveryRoot = /s; }\n" + full;
            line++;
        }
        var e = Assert.Throws<GaneshaConfException>(() => GaneshaSettings.From(GaneshaConfReader.Parse(full, "/etc/ganesha/ganesha.conf")));
        Assert.Equal(line, e.Line);
        Assert.StartsWith($"/etc/ganesha/ganesha.conf:{line}: ", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void A_server_must_export_something_reachable_by_nfsv4()
    {
        var e = Assert.Throws<GaneshaConfException>(() => GaneshaSettings.From(GaneshaConfReader.Parse("NFSv4 { RecoveryRoot = /s; }", "g.conf")));
        Assert.Contains("no EXPORT block", e.Message);
        e = Assert.Throws<GaneshaConfException>(() => GaneshaSettings.From(GaneshaConfReader.Parse(
            "NFSv4 { RecoveryRoot = /s; } EXPORT { Export_Id = 1; Path = /x; Pseudo = /x; Protocols = 3; FSAL { Name = VFS; } }", "g.conf")));
        Assert.Contains("none can be reached over NFSv4", e.Message);
        e = Assert.Throws<GaneshaConfException>(() => GaneshaSettings.From(GaneshaConfReader.Parse(
            "NFSv4 { RecoveryRoot = /s; } EXPORT { Export_Id = 1; Path = /x; Pseudo = /x; FSAL { Name = VFS; } }\nEXPORT { Export_Id = 1; Path = /y; Pseudo = /y; FSAL { Name = VFS; } }", "g.conf")));
        Assert.Equal("g.conf:2: Export_Id 1 is used twice", e.Message);
    }

    [Fact]
    public void The_rados_backends_need_no_recovery_directory()
    {
        var settings = GaneshaSettings.From(GaneshaConfReader.Parse(
            "NFSv4 { RecoveryBackend = rados_cluster; } EXPORT { Export_Id = 1; Path = /x; Pseudo = /x; FSAL { Name = CEPH; } }", "g.conf"));
        Assert.Null(settings.RecoveryRoot);
    }
}
