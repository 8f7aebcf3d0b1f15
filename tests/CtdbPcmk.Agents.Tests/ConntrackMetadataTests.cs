// SPDX-License-Identifier: GPL-3.0-or-later
using System.Xml.Linq;
using CtdbPcmk.Conntrack;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Agents.Tests;

/// <summary>ocf:ctdb:conntrack's metadata and parameter checking, in process.</summary>
public sealed class ConntrackMetadataTests
{
    private readonly ConntrackAgent _agent = new();

    [Fact]
    public void Embedded_metadata_is_the_file_verbatim_and_valid()
    {
        MetadataChecks.EmbeddedIsTheFile(_agent, "conntrack");
        MetadataChecks.IsValid(_agent, dtd: false);
        // Not the OCF 1.0 DTD: it enumerates the action names, and reset-server / reset-client
        // are actions of this agent's own, which OCF 1.1 allows.
    }

    [Fact]
    public void Declared_parameters_are_exactly_the_metadata_parameters() => MetadataChecks.DeclaredParametersAreTheMetadatas(_agent);

    [Fact]
    public void Metadata_lists_the_reset_actions_pacemaker_may_call()
    {
        var actions = XDocument.Parse(_agent.Metadata).Descendants("action").Select(a => (string)a.Attribute("name")!).ToHashSet();
        Assert.Superset(OcfRunner.MandatoryActions.ToHashSet(), actions);
        // "tracker" is the tracker process itself: an action of the program, not one for Pacemaker.
        Assert.Equal(["reset-client", "reset-server"], actions.Except(OcfRunner.MandatoryActions).Order());
        Assert.Superset(actions.Except(OcfRunner.MandatoryActions).ToHashSet(), _agent.OptionalActions.ToHashSet());
    }

    [Fact]
    public void Validate_all_reads_every_declared_parameter()
    {
        var context = Context("validate-all",
            ("conntrackd", "true"), ("conntrackd_interface", "eth0"), ("addresses", "192.0.2.10, 2001:db8::10"), ("ports", "445,2049"));
        Assert.Equal(OcfExitCode.Success, _agent.ValidateAll(context));
        Assert.Equal(_agent.Parameters.Select(p => p.Name).Order(), context.Parameters.ReadNames.Order());
    }

    [Theory]
    [InlineData("addresses", "192.0.2.0/24", "addresses: '192.0.2.0/24' is not an IPv4 or IPv6 address")]
    [InlineData("ports", "70000", "ports '70000'")]
    [InlineData("commit_interval", "soon", "commit_interval 'soon' is not a number of seconds from 0 to 3600")]
    [InlineData("commit_interval", "-1", "commit_interval '-1'")]
    [InlineData("max_connections", "0", "max_connections")]
    [InlineData("control_socket", "conntrack.sock", "control_socket 'conntrack.sock' is not an absolute path")]
    [InlineData("state_dir", "run", "state_dir 'run' is not an absolute path")]
    [InlineData("conntrackd", "true", "conntrackd=true needs conntrackd_config or conntrackd_interface")]
    [InlineData("conntrackd_config", "relative.conf", "conntrackd_config 'relative.conf' is not an absolute path")]
    public void Bad_parameters_are_not_configured_with_a_reason(string name, string value, string reason)
    {
        var extra = name == "conntrackd_config" ? [("conntrackd", "true"), (name, value)] : new[] { (name, value) };
        var run = AgentRun.Of(_agent, "validate-all", [.. extra.Select(e => ("OCF_RESKEY_" + e.Item1, e.Item2))]);
        Assert.True(run.ExitCode == (int)OcfExitCode.ErrConfigured, run.ToString());
        Assert.NotNull(run.Reason);
        Assert.Contains(reason, run.Reason, StringComparison.Ordinal);
        // start and monitor refuse the same way: Pacemaker must not retry a bad configuration here.
        Assert.Equal((int)OcfExitCode.ErrConfigured, AgentRun.Of(_agent, "monitor", [.. extra.Select(e => ("OCF_RESKEY_" + e.Item1, e.Item2))]).ExitCode);
    }

    [Fact]
    public void Reset_actions_need_one_address()
    {
        var run = AgentRun.Of(_agent, "reset-client");
        Assert.Equal((int)OcfExitCode.ErrConfigured, run.ExitCode);
        Assert.Contains("usage: conntrack reset-client ADDRESS", run.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_tracker_monitor_says_not_running_and_stop_succeeds()
    {
        var dir = Directory.CreateTempSubdirectory("ctdbpcmk-conntrack-").FullName;
        try
        {
            (string, string)[] env = [("OCF_RESKEY_state_dir", dir), ("OCF_RESKEY_control_socket", Path.Combine(dir, "c.sock"))];
            Assert.Equal((int)OcfExitCode.NotRunning, AgentRun.Of(_agent, "monitor", env).ExitCode);
            var reset = AgentRun.Of(_agent, ["reset-server", "192.0.2.10"], env);
            Assert.Equal((int)OcfExitCode.NotRunning, reset.ExitCode);
            Assert.Equal($"no tracker listens on {Path.Combine(dir, "c.sock")}", reset.Reason);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private OcfContext Context(string action, params (string Name, string Value)[] parameters)
    {
        var env = OcfEnvironment.From(parameters.ToDictionary(p => "OCF_RESKEY_" + p.Name, p => p.Value));
        return new OcfContext(action, _agent, env, new StringWriter(), new StringWriter());
    }
}
