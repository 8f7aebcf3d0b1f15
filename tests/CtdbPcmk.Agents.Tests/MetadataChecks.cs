// SPDX-License-Identifier: GPL-3.0-or-later
using System.Xml.Linq;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Agents.Tests;

/// <summary>The checks every agent's metadata gets, shared by the agents' metadata tests.</summary>
internal static class MetadataChecks
{
    /// <summary>The compiled-in XML and the meta-data action's output are ocf-metadata/NAME.xml, byte for byte.</summary>
    public static void EmbeddedIsTheFile(OcfAgent agent, string name)
    {
        Assert.Equal(name, agent.Name);
        Assert.Equal(File.ReadAllText(RepoPaths.Metadata(name)), agent.Metadata);
        Assert.Equal(File.ReadAllText(RepoPaths.Metadata(name)), AgentRun.Of(agent, "meta-data").Stdout);
    }

    /// <summary>Valid OCF 1.1 (RELAX NG), and, with <paramref name="dtd"/>, valid for the ra-api-1 DTD too.</summary>
    public static void IsValid(OcfAgent agent, bool dtd = true)
    {
        var (code, output) = Xmllint.Run(agent.Metadata, "--noout", "--relaxng", Xmllint.OcfRng);
        Assert.True(code == 0, output);
        if (dtd)
        {
            (code, output) = Xmllint.Run(agent.Metadata, "--noout", "--valid", "--path", "/usr/share/resource-agents");
            Assert.True(code == 0, output);
        }
    }

    /// <summary>The parameters the code declares are the XML's: names, types, defaults, required flags, in order.</summary>
    public static void DeclaredParametersAreTheMetadatas(OcfAgent agent)
    {
        var fromXml = XDocument.Parse(agent.Metadata).Descendants("parameter").Select(p => (
            Name: (string)p.Attribute("name")!,
            Type: (string)p.Element("content")!.Attribute("type")!,
            Default: (string?)p.Element("content")!.Attribute("default"),
            Required: (string?)p.Attribute("required") == "1")).ToList();
        var fromCode = agent.Parameters.Select(p => (p.Name, Type: p.Type.ToString().ToLowerInvariant(), p.Default, p.Required)).ToList();
        Assert.Equal(fromXml, fromCode);
    }
}
