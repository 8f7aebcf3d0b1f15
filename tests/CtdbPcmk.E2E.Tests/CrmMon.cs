// SPDX-License-Identifier: GPL-3.0-or-later
using System.Xml.Linq;

namespace CtdbPcmk.E2E.Tests;

/// <summary>Reads `crm_mon --output-as=xml` (Pacemaker 2.1).</summary>
internal static class CrmMon
{
    private static readonly HashSet<string> s_active = ["Started", "Promoted", "Unpromoted"];

    /// <summary>Every primitive (inside groups and clones), with the clone it belongs to.</summary>
    public static IEnumerable<(XElement Resource, string? Clone)> Primitives(XDocument doc) =>
        doc.Root!.Element("resources")?.Descendants("resource")
            .Select(r => (r, r.Ancestors("clone").FirstOrDefault()?.Attribute("id")?.Value)) ?? [];

    public static bool IsActive(XElement resource) =>
        s_active.Contains((string?)resource.Attribute("role") ?? "") &&
        (string?)resource.Attribute("active") == "true" &&
        (string?)resource.Attribute("failed") != "true";

    public static IReadOnlyList<string> NodesOf(XElement resource) =>
        [.. resource.Elements("node").Select(n => (string)n.Attribute("name")!)];

    /// <summary>Nodes where the primitive RSC is active.</summary>
    public static IReadOnlyList<string> Where(XDocument doc, string id) =>
        [.. Primitives(doc).Where(p => (string?)p.Resource.Attribute("id") == id && IsActive(p.Resource)).SelectMany(p => NodesOf(p.Resource))];

    /// <summary>Nodes of the clone's instances in a role (Promoted, Unpromoted, Started).</summary>
    public static IReadOnlyList<string> InRole(XDocument doc, string clone, string role) =>
        [.. Primitives(doc).Where(p => p.Clone == clone && (string?)p.Resource.Attribute("role") == role && IsActive(p.Resource))
            .SelectMany(p => NodesOf(p.Resource))];

    public static IReadOnlyList<string> OnlineNodes(XDocument doc) =>
        [.. doc.Root!.Element("nodes")!.Elements("node").Where(n => (string?)n.Attribute("online") == "true").Select(n => (string)n.Attribute("name")!)];

    public static int NodeNumber(string name) => int.Parse(name.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
}
