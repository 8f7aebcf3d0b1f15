// SPDX-License-Identifier: GPL-3.0-or-later
using System.Xml.Linq;
using CtdbPcmk.Ocf;
using CtdbPcmk.Vip;

namespace CtdbPcmk.Agents.Tests;

public sealed class VipMetadataTests
{
    private static readonly VipAgent s_agent = new();

    [Fact]
    public void Embedded_metadata_is_the_file_verbatim()
    {
        Assert.Equal(File.ReadAllText(RepoPaths.Metadata("vip")), s_agent.Metadata);
        Assert.Equal(File.ReadAllText(RepoPaths.Metadata("vip")), AgentRun.Of(s_agent, "meta-data").Stdout);
    }

    [Fact]
    public void Metadata_validates_against_the_ocf_1_1_rng()
    {
        var (code, output) = Xmllint.Run(s_agent.Metadata, "--noout", "--relaxng", Xmllint.OcfRng);
        Assert.True(code == 0, output);
    }

    [Fact]
    public void Metadata_validates_against_ra_api_1_dtd()
    {
        var (code, output) = Xmllint.Run(s_agent.Metadata, "--noout", "--dtdvalid", Xmllint.RaApiDtd);
        Assert.True(code == 0, output);
    }

    [Fact]
    public void Declared_parameters_are_exactly_the_metadata_parameters()
    {
        var xml = XDocument.Parse(s_agent.Metadata);
        var fromXml = xml.Descendants("parameter").Select(p => (
            Name: (string)p.Attribute("name")!,
            Type: (string)p.Element("content")!.Attribute("type")!,
            Default: (string?)p.Element("content")!.Attribute("default"),
            Required: (string?)p.Attribute("required") == "1")).ToList();
        var fromCode = s_agent.Parameters.Select(p => (
            p.Name,
            Type: p.Type.ToString().ToLowerInvariant(),
            p.Default,
            p.Required)).ToList();
        Assert.Equal(fromXml, fromCode);
    }

    [Fact]
    public void Validate_all_reads_every_declared_parameter()
    {
        var env = OcfEnvironment.From(new Dictionary<string, string> { ["OCF_RESKEY_ip"] = "192.0.2.10", ["OCF_RESKEY_iflabel"] = "v" });
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var context = new OcfContext("validate-all", s_agent, env, stdout, stderr);
        Assert.Equal(OcfExitCode.Success, s_agent.ValidateAll(context));
        Assert.Equal(s_agent.Parameters.Select(p => p.Name).Order(), context.Parameters.ReadNames.Order());
    }

    [Fact]
    public void Metadata_lists_the_mandatory_actions_and_only_implemented_optional_ones()
    {
        var actions = XDocument.Parse(s_agent.Metadata).Descendants("action").Select(a => (string)a.Attribute("name")!).ToHashSet();
        Assert.Superset(OcfRunner.MandatoryActions.ToHashSet(), actions);
        Assert.Equal(actions.Except(OcfRunner.MandatoryActions).Order(), s_agent.OptionalActions.Order());
    }
}
