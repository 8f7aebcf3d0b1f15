// SPDX-License-Identifier: GPL-3.0-or-later
using System.Xml.Linq;
using CtdbPcmk.Nfs;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Agents.Tests;

/// <summary>ocf:ctdb:nfs's metadata, checked as the other agents' are.</summary>
public sealed class NfsMetadataTests
{
    private readonly NfsAgent _agent = new();

    [Fact]
    public void Embedded_metadata_is_the_file_verbatim() => MetadataChecks.EmbeddedIsTheFile(_agent, "nfs");

    [Fact]
    public void Metadata_validates_against_the_ocf_1_1_rng_and_ra_api_1_dtd() => MetadataChecks.IsValid(_agent);

    [Fact]
    public void Declared_parameters_are_exactly_the_metadata_parameters() => MetadataChecks.DeclaredParametersAreTheMetadatas(_agent);

    [Fact]
    public void Every_declared_parameter_is_read_by_validate_all()
    {
        var environment = OcfEnvironment.From(new Dictionary<string, string>
        {
            ["OCF_RESKEY_config"] = "/nonexistent/ganesha.conf",
            ["OCF_RESKEY_node_id"] = "1",
        });
        using var output = new StringWriter();
        var context = new OcfContext("validate-all", _agent, environment, output, output);
        var e = Assert.Throws<OcfException>(() => _agent.ValidateAll(context));
        Assert.Equal(OcfExitCode.ErrConfigured, e.Code);
        Assert.Contains("/nonexistent/ganesha.conf", e.Message);
        Assert.Equal(_agent.Parameters.Select(p => p.Name).Order(), context.Parameters.ReadNames.Order());
    }

    [Fact]
    public void Metadata_lists_the_mandatory_actions_notify_and_reload_agent()
    {
        var doc = XDocument.Parse(_agent.Metadata);
        var actions = doc.Descendants("action").Select(a => (string)a.Attribute("name")!).ToHashSet();
        Assert.Superset(OcfRunner.MandatoryActions.ToHashSet(), actions);
        Assert.Equal(actions.Except(OcfRunner.MandatoryActions).Order(), _agent.OptionalActions.Order());
        var monitor = doc.Descendants("action").Single(a => (string)a.Attribute("name")! == "monitor");
        var probe = _agent.Parameters.Single(p => p.Name == "probe_timeout");
        // Two probes (RPC and D-Bus) must end before the monitor's own timeout.
        Assert.True(int.Parse(probe.Default!, System.Globalization.CultureInfo.InvariantCulture) * 2 < int.Parse(((string)monitor.Attribute("timeout")!).TrimEnd('s'), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("node_id", "x", "not an integer")]
    [InlineData("node_id", "70000", "out of range")]
    [InlineData("log_level", "LOUD", "log_level 'LOUD'")]
    [InlineData("options", "-f /etc/other.conf", "set by the agent")]
    [InlineData("config", "relative.conf", "not an absolute path")]
    [InlineData("dbus_address", "nowhere", "not a D-Bus address")]
    public void Bad_parameters_are_err_configured_with_a_reason(string name, string value, string reason)
    {
        var run = name == "node_id"
            ? AgentRun.Of(_agent, "validate-all", ("OCF_RESKEY_node_id", value))
            : AgentRun.Of(_agent, "validate-all", ("OCF_RESKEY_node_id", "1"), ("OCF_RESKEY_" + name, value));
        Assert.Equal((int)OcfExitCode.ErrConfigured, run.ExitCode);
        Assert.Contains(reason, run.Reason);
    }

    [Fact]
    public void Without_node_id_pacemakers_numeric_node_id_is_used_and_nothing_else()
    {
        var run = AgentRun.Of(_agent, "validate-all");
        Assert.Equal((int)OcfExitCode.ErrConfigured, run.ExitCode);
        Assert.Contains("node_id is not set", run.Reason);
        run = AgentRun.Of(_agent, "validate-all", ("OCF_RESKEY_CRM_meta_on_node_uuid", "3"), ("OCF_RESKEY_config", "/nonexistent.conf"));
        Assert.Contains("/nonexistent.conf", run.Reason);
    }
}
