// SPDX-License-Identifier: GPL-3.0-or-later
using System.Xml.Linq;
using CtdbPcmk.Ctdbd;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Agents.Tests;

/// <summary>Metadata of the agents added for the daemon and node health, checked the same way as vip's.</summary>
public sealed class CtdbdMetadataTests
{
    public static TheoryData<string> Agents => ["ctdbd"];

    internal static OcfAgent Create(string name) => name switch
    {
        "ctdbd" => new CtdbdAgent(),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Agents))]
    public void Embedded_metadata_is_the_file_verbatim(string name)
    {
        var agent = Create(name);
        Assert.Equal(name, agent.Name);
        Assert.Equal(File.ReadAllText(RepoPaths.Metadata(name)), agent.Metadata);
        Assert.Equal(File.ReadAllText(RepoPaths.Metadata(name)), AgentRun.Of(agent, "meta-data").Stdout);
    }

    [Theory]
    [MemberData(nameof(Agents))]
    public void Metadata_validates_against_the_ocf_1_1_rng_and_ra_api_1_dtd(string name)
    {
        var xml = Create(name).Metadata;
        var (code, output) = Xmllint.Run(xml, "--noout", "--relaxng", Xmllint.OcfRng);
        Assert.True(code == 0, output);
        // What ocf-tester checks: ra-api-1.dtd through the DOCTYPE, whose internal subset declares
        // the OCF 1.1 additions (reload-agent, reloadable).
        (code, output) = Xmllint.Run(xml, "--noout", "--valid", "--path", "/usr/share/resource-agents");
        Assert.True(code == 0, output);
    }

    [Theory]
    [MemberData(nameof(Agents))]
    public void Declared_parameters_are_exactly_the_metadata_parameters(string name)
    {
        var agent = Create(name);
        var fromXml = XDocument.Parse(agent.Metadata).Descendants("parameter").Select(p => (
            Name: (string)p.Attribute("name")!,
            Type: (string)p.Element("content")!.Attribute("type")!,
            Default: (string?)p.Element("content")!.Attribute("default"),
            Required: (string?)p.Attribute("required") == "1")).ToList();
        var fromCode = agent.Parameters.Select(p => (p.Name, Type: p.Type.ToString().ToLowerInvariant(), p.Default, p.Required)).ToList();
        Assert.Equal(fromXml, fromCode);
    }

    [Theory]
    [MemberData(nameof(Agents))]
    public void Metadata_lists_the_mandatory_actions_and_only_implemented_optional_ones(string name)
    {
        var agent = Create(name);
        var actions = XDocument.Parse(agent.Metadata).Descendants("action").Select(a => (string)a.Attribute("name")!).ToHashSet();
        Assert.Superset(OcfRunner.MandatoryActions.ToHashSet(), actions);
        Assert.Equal(actions.Except(OcfRunner.MandatoryActions).Order(), agent.OptionalActions.Order());
    }
}
