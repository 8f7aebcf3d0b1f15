// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Packaging.Tests;

/// <summary>Every installed agent's meta-data and validate-all, run from the scratch root.</summary>
[Collection(RpmGroup.Name)]
public sealed class AgentTests(InstalledRpms rpms) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("ctdbpcmk-rpmagents-").FullName;

    public static TheoryData<string> AgentNames => ["conntrack", "ctdbd", "health", "nfs", "portblock", "samba", "vip"];

    [Theory]
    [MemberData(nameof(AgentNames))]
    public void MetadataIsTheTreesAndTheInstalledCopy(string agent)
    {
        var run = Run(agent, "meta-data", new Dictionary<string, string>());
        Assert.True(run.Code == 0, run.ToString());
        Assert.Equal(File.ReadAllText(RepoPaths.Metadata(agent)), run.Stdout);
        Assert.Equal(File.ReadAllText(RepoPaths.Metadata(agent)), File.ReadAllText(rpms.InRoot($"/usr/share/ctdb-pcmk/ocf-metadata/{agent}.xml")));
    }

    [Theory]
    [MemberData(nameof(AgentNames))]
    public void ValidateAllAcceptsAValidConfiguration(string agent)
    {
        var run = Run(agent, "validate-all", ValidParameters(agent));
        Assert.True(run.Code == 0, run.ToString());
    }

    [Theory]
    [InlineData("vip", "ip")]
    [InlineData("portblock", "protocol")]
    public void ValidateAllNamesAMissingRequiredParameter(string agent, string parameter)
    {
        var run = Run(agent, "validate-all", new Dictionary<string, string>());
        Assert.True(run.Code == 6, run.ToString());
        Assert.Contains($"ocf-exit-reason:parameter '{parameter}' is required", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private Dictionary<string, string> ValidParameters(string agent)
    {
        var nodes = Path.Combine(_work, "nodes");
        File.WriteAllText(nodes, "127.0.0.1\n");
        var smbConf = Path.Combine(_work, "smb.conf");
        File.WriteAllText(smbConf, $"[global]\n\tclustering = yes\n\tctdbd socket = {_work}/ctdbd.socket\n");
        return agent switch
        {
            "vip" => new() { ["ip"] = "192.0.2.10", ["cidr_netmask"] = "24", ["nic"] = "lo" },
            "portblock" => new() { ["ip"] = "192.0.2.10", ["protocol"] = "tcp", ["portno"] = "445", ["action"] = "block" },
            "ctdbd" => new()
            {
                ["ctdbd_binary"] = rpms.InRoot("/usr/sbin/ctdb-pcmkd"), ["ctdb_nodes_file"] = nodes,
                ["ctdb_rundir"] = Path.Combine(_work, "run"), ["ctdb_dbdir"] = Path.Combine(_work, "db"),
                ["ctdb_socket"] = Path.Combine(_work, "ctdbd.socket"), ["ctdb_logfile"] = "stderr",
            },
            "samba" => new() { ["config"] = smbConf, ["ctdb_socket"] = Path.Combine(_work, "ctdbd.socket") },
            "nfs" => NfsParameters(),
            "health" or "conntrack" => [],
            _ => throw new ArgumentException($"no valid parameters known for {agent}"),
        };
    }

    /// <summary>A clustered ganesha.conf with its RecoveryRoot and exported directory in the scratch directory.</summary>
    private Dictionary<string, string> NfsParameters()
    {
        var recovery = Directory.CreateDirectory(Path.Combine(_work, "recovery")).FullName;
        var export = Directory.CreateDirectory(Path.Combine(_work, "export")).FullName;
        var conf = Path.Combine(_work, "ganesha.conf");
        File.WriteAllText(conf, $"NFSv4 {{ RecoveryRoot = {recovery}; }}\nEXPORT {{ Export_Id = 1; Path = {export}; Pseudo = /share; FSAL {{ Name = VFS; }} }}\n");
        return new() { ["config"] = conf, ["node_id"] = "1" };
    }

    /// <summary>Runs the installed agent as Pacemaker would: OCF_ROOT and OCF_RESKEY_* only.</summary>
    private Sh.Result Run(string agent, string action, IReadOnlyDictionary<string, string> parameters)
    {
        var env = new Dictionary<string, string>
        {
            ["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin",
            ["OCF_ROOT"] = rpms.InRoot("/usr/lib/ocf"),
            ["OCF_RESOURCE_INSTANCE"] = "pkgtest",
        };
        foreach (var (k, v) in parameters)
        {
            env["OCF_RESKEY_" + k] = v;
        }
        return Sh.Run([rpms.InRoot("/usr/lib/ocf/resource.d/ctdb/" + agent), action], env, cleanEnvironment: true);
    }
}
