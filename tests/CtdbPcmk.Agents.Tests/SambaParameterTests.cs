// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Linux;
using CtdbPcmk.Samba;

namespace CtdbPcmk.Agents.Tests;

/// <summary>ocf:ctdb:samba in-process: environment + action → exit code + exit reason, with nothing running.</summary>
public sealed class SambaParameterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("samba-params-").FullName;

    public SambaParameterTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "rsctmp"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Socket => Path.Combine(_dir, "ctdbd.socket");

    private string WriteConf(string globals)
    {
        var path = Path.Combine(_dir, "smb.conf");
        File.WriteAllText(path, "[global]\n" + globals.Replace("SOCKET", Socket, StringComparison.Ordinal) + "\n[share]\n\tpath = /tmp\n");
        return path;
    }

    private AgentRun Run(string action, string globals, params (string Name, string Value)[] parameters)
    {
        var conf = WriteConf(globals);
        var env = new List<(string, string)>
        {
            ("OCF_RESKEY_config", conf),
            ("OCF_RESKEY_ctdb_socket", Socket),
            ("HA_RSCTMP", Path.Combine(_dir, "rsctmp")),
        };
        foreach (var (name, value) in parameters)
        {
            var variable = name.StartsWith("OCF_", StringComparison.Ordinal) || name.StartsWith("HA_", StringComparison.Ordinal) ? name : "OCF_RESKEY_" + name;
            env.RemoveAll(e => e.Item1 == variable);
            env.Add((variable, value));
        }
        return AgentRun.Of(new SambaAgent(), action, [.. env]);
    }

    private const string Good = "\tclustering = yes\n\tctdbd socket = SOCKET\n";

    public static TheoryData<string, string, string, int, string?> Cases => new()
    {
        { "validate-all", Good, "", 0, null },
        { "validate-all", Good, "services=smbd, winbindd nmbd", 0, null },
        { "validate-all", "\tclustering = no\n\tctdbd socket = SOCKET\n", "", 6, "CONF:2: 'clustering = no'; a clustered Samba needs 'clustering = yes' in [global]" },
        { "validate-all", "\tctdbd socket = SOCKET\n", "", 6, "CONF: 'clustering' is not set; a clustered Samba needs 'clustering = yes' in [global]" },
        { "start", "\tclustering = no\n\tctdbd socket = SOCKET\n", "", 6, "CONF:2: 'clustering = no'" },
        { "validate-all", "\tclustering = yes\n\tctdbd socket = /run/other.socket\n", "", 6, "CONF:3: 'ctdbd socket = /run/other.socket', but ctdb_socket is 'SOCKET'; set both to the socket of ctdb-pcmkd" },
        { "validate-all", "\tclustering = yes\n", "", 6, "CONF: 'ctdbd socket' is not set (Samba's default is /run/ctdb/ctdbd.socket), but ctdb_socket is 'SOCKET'" },
        { "validate-all", Good + "\tnot a parameter line\n", "", 6, "CONF:4: expected '[section]' or 'name = value', found 'not a parameter line'" },
        { "validate-all", Good + "\tinclude = registry\n", "", 6, "CONF:4: 'include = registry' reads settings from the registry, which this agent cannot read" },
        { "validate-all", Good + "\tconfig backend = registry\n", "", 6, "CONF:4: 'config backend = registry' keeps the configuration in the registry" },
        { "validate-all", Good + "\tclustering = sometimes\n", "", 6, "CONF:4: 'clustering' is 'sometimes', not a boolean (yes/no)" },
        { "validate-all", Good, "services=smbd,httpd", 6, "services: unknown service 'httpd' (expected smbd, nmbd, winbindd)" },
        { "validate-all", Good + "\tdisable netbios = yes\n", "services=smbd nmbd", 6, "services includes nmbd, but CONF:4: 'disable netbios = yes' makes nmbd exit at once" },
        { "validate-all", Good + "\tdisable netbios = yes\n", "", 0, null },
        { "validate-all", Good, "services=winbindd", 6, "services 'winbindd' does not include smbd" },
        { "monitor", Good, "services=smb", 6, "services: unknown service 'smb'" },
        { "validate-all", Good, "sbin_dir=/nonexistent/sbin", 5, "smbd is not installed: /nonexistent/sbin/smbd is not an executable file (see sbin_dir)" },
        { "validate-all", Good, "config=/nonexistent/smb.conf", 5, "config '/nonexistent/smb.conf' does not exist" },
        { "validate-all", Good, "config=smb.conf", 6, "config 'smb.conf' is not an absolute path" },
        { "validate-all", Good, "ctdb_socket=run/ctdbd.socket", 6, "ctdb_socket 'run/ctdbd.socket' is not an absolute path" },
        { "validate-all", Good, "negotiate_timeout=0", 6, "parameter 'negotiate_timeout': 0 is out of range [1, 300]" },
        { "validate-all", Good, "negotiate_timeout=soon", 6, "parameter 'negotiate_timeout': 'soon' is not an integer" },
        { "validate-all", Good, "smbd_options=-d 3 -D", 6, "smbd_options: '-D' is set by the agent and cannot be given" },
        { "validate-all", Good, "winbindd_options=--configfile=/x", 6, "winbindd_options: '--configfile=/x' is set by the agent and cannot be given" },
        { "validate-all", Good + "\tbind interfaces only = yes\n\tinterfaces = nosuch-if0\n", "", 1, "interfaces: 'nosuch-if0' is neither an address nor an interface of this node" },
        { "validate-all", Good + "\tbind interfaces only = yes\n", "", 6, "'bind interfaces only = yes' but 'interfaces' is empty" },
        { "validate-all", Good + "\tbind interfaces only = yes\n\tinterfaces = lo\n", "", 0, null },
        { "start", Good, "", 1, "ctdb-pcmkd does not answer on SOCKET" },
        { "monitor", Good, "", 7, null },
        { "monitor", Good, "OCF_RESKEY_CRM_meta_interval=0", 7, null },
        { "stop", Good, "", 0, null },
        { "stop", Good, "config=relative.conf", 0, null },
        { "reload-agent", Good, "smbd_options=-d 2", 0, null },
        { "reload-agent", Good, "negotiate_timeout=-1", 6, "parameter 'negotiate_timeout': -1 is out of range [1, 300]" },
        { "promote", Good, "", 3, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Action_gives_the_ocf_code_and_reason(string action, string globals, string assignment, int code, string? reason)
    {
        var parameters = new List<(string, string)>();
        if (assignment.Length > 0)
        {
            var eq = assignment.IndexOf('=', StringComparison.Ordinal);
            parameters.Add((assignment[..eq], assignment[(eq + 1)..]));
        }
        var r = Run(action, globals, [.. parameters]);
        Assert.True(code == r.ExitCode, $"exit {r.ExitCode}, expected {code}: {r.Stderr}");
        if (reason is null)
        {
            Assert.Null(r.Reason);
        }
        else
        {
            var expected = reason.Replace("CONF", Path.Combine(_dir, "smb.conf"), StringComparison.Ordinal).Replace("SOCKET", Socket, StringComparison.Ordinal);
            Assert.StartsWith(expected, r.Reason);
        }
    }

    [Fact]
    public void Default_services_follow_security()
    {
        Assert.Equal([SambaService.Smbd], SambaServices.Default("user"));
        Assert.Equal([SambaService.Smbd], SambaServices.Default("auto"));
        Assert.Equal([SambaService.Winbindd, SambaService.Smbd], SambaServices.Default("ads"));
        Assert.Equal([SambaService.Winbindd, SambaService.Smbd], SambaServices.Default("domain"));
        Assert.Equal([SambaService.Winbindd, SambaService.Nmbd, SambaService.Smbd], SambaServices.Parse("smbd nmbd,WINBINDD smbd"));
        Assert.Null(SambaServices.Parse(" , "));
    }

    [Fact]
    public void State_file_round_trips_and_is_keyed_by_the_config_path()
    {
        var state = new InstanceState
        {
            Config = "/etc/samba/smb.conf",
            Probe = System.Net.IPEndPoint.Parse("127.0.0.1:445"),
            SmbPorts = [445, 139],
            WinbindSocket = "/run/samba/winbindd/pipe",
            PidDirectory = "/run/samba",
            Services = [SambaService.Winbindd, SambaService.Smbd],
        };
        state.Processes[SambaService.Smbd] = new TrackedProcess(1234, 987654321);
        var text = state.Render();
        var back = InstanceState.Parse(text);
        Assert.Equal(text, back.Render());
        Assert.Equal(new TrackedProcess(1234, 987654321), back.Processes[SambaService.Smbd]);
        Assert.False(back.Processes.ContainsKey(SambaService.Winbindd));
        Assert.Throws<InvalidDataException>(() => InstanceState.Parse(text.Replace("1234 ", "x ", StringComparison.Ordinal)));

        var a = InstanceState.PathFor("/run/resource-agents", "/etc/samba/smb.conf");
        Assert.StartsWith("/run/resource-agents/samba_etc_samba_smb.conf-", a);
        Assert.NotEqual(a, InstanceState.PathFor("/run/resource-agents", "/etc/samba/smb_conf"));
        Assert.NotEqual(a, InstanceState.PathFor("/run/resource-agents", "/etc/samba_smb.conf"));
    }

    [Fact]
    public void Proc_stat_fields_are_read_after_the_command_name()
    {
        var stat = ProcStat.Parse(77, "77 (smbd) notifyd) T 1 77 77 0 -1 4194624 1 0 0 0 0 0 0 0 20 0 1 0 123456 1 2 3");
        Assert.Equal(new ProcStat(77, 'T', 1, 77, 123456), stat);
        Assert.True(stat!.Value.IsStopped);
        Assert.Null(ProcStat.Parse(77, "77 (smbd"));
        var self = ProcStat.Read(Environment.ProcessId)!.Value;
        Assert.Equal(Environment.ProcessId, self.Pid);
        Assert.True(new TrackedProcess(self.Pid, self.StartTime).IsAlive);
        Assert.False(new TrackedProcess(self.Pid, self.StartTime + 1).IsAlive);
    }
}
