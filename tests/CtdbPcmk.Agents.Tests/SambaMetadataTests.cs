// SPDX-License-Identifier: GPL-3.0-or-later
using System.Xml.Linq;
using CtdbPcmk.Ocf;
using CtdbPcmk.Samba;

namespace CtdbPcmk.Agents.Tests;

/// <summary>ocf:ctdb:samba's metadata, checked as the other agents' are.</summary>
public sealed class SambaMetadataTests
{
    private readonly SambaAgent _agent = new();

    [Fact]
    public void Embedded_metadata_is_the_file_verbatim() => MetadataChecks.EmbeddedIsTheFile(_agent, "samba");

    [Fact]
    public void Metadata_validates_against_the_ocf_1_1_rng_and_ra_api_1_dtd() => MetadataChecks.IsValid(_agent);

    [Fact]
    public void Declared_parameters_are_exactly_the_metadata_parameters() => MetadataChecks.DeclaredParametersAreTheMetadatas(_agent);

    [Fact]
    public void Every_declared_parameter_is_read_by_validate_all_start_and_stop()
    {
        // validate-all reads what start reads; here it fails after binding (no smb.conf), which
        // is enough to see which parameters were looked at.
        var environment = OcfEnvironment.From(new Dictionary<string, string> { ["OCF_RESKEY_config"] = "/nonexistent/smb.conf" });
        using var output = new StringWriter();
        var context = new OcfContext("validate-all", _agent, environment, output, output);
        Assert.Throws<OcfException>(() => _agent.ValidateAll(context));
        Assert.Equal(_agent.Parameters.Select(p => p.Name).Order(), context.Parameters.ReadNames.Order());
    }

    [Fact]
    public void Metadata_lists_the_mandatory_actions_and_reload_agent_and_says_to_disable_samba_units()
    {
        var doc = XDocument.Parse(_agent.Metadata);
        var actions = doc.Descendants("action").Select(a => (string)a.Attribute("name")!).ToHashSet();
        Assert.Superset(OcfRunner.MandatoryActions.ToHashSet(), actions);
        Assert.Equal(actions.Except(OcfRunner.MandatoryActions).Order(), _agent.OptionalActions.Order());
        var text = (string)doc.Root!.Element("longdesc")!;
        Assert.Contains("Pacemaker starts these processes directly", text);
        Assert.Contains("must be disabled", text);
        // The probe must end well before the monitor's own timeout.
        var monitor = doc.Descendants("action").Single(a => (string)a.Attribute("name")! == "monitor");
        var negotiate = _agent.Parameters.Single(p => p.Name == "negotiate_timeout");
        Assert.True(int.Parse(negotiate.Default!, System.Globalization.CultureInfo.InvariantCulture) * 2 <= int.Parse(((string)monitor.Attribute("timeout")!).TrimEnd('s'), System.Globalization.CultureInfo.InvariantCulture));
    }
}
