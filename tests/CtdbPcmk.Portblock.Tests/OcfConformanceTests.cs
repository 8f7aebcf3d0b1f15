// SPDX-License-Identifier: GPL-3.0-or-later
using System.Xml.Linq;

namespace CtdbPcmk.Portblock.Tests;

/// <summary>ocf-tester, metadata, parameter validation and missing-firewall behaviour of the installed agent.</summary>
public sealed class OcfConformanceTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("pbt-state").FullName;

    public void Dispose() => Directory.Delete(_state, recursive: true);

    [Theory]
    [InlineData("block", "auto", AgentProcess.DefaultPath)]
    [InlineData("unblock", "auto", AgentProcess.DefaultPath)]
    [InlineData("block", "iptables", AgentProcess.DefaultPath)]
    [InlineData("unblock", "auto", "nft-hidden")]
    public void OcfTesterPasses(string action, string firewall, string path)
    {
        using var ns = Netns.Create("ot");
        var tickle = Directory.CreateTempSubdirectory("pbt-tickle").FullName;
        string? linkDir = null;
        try
        {
            if (path == "nft-hidden")
            {
                // Everything on the usual PATH except nft: auto must fall back to iptables.
                path = linkDir = PathWithout("nft");
            }

            List<string> argv = ["ip", "netns", "exec", ns.Name, "env", "PATH=" + path, "HA_RSCTMP=" + _state, "/usr/sbin/ocf-tester", "-n", "pb-" + action,
                "-o", "protocol=tcp", "-o", "portno=445,139", "-o", "ip=192.0.2.50", "-o", "action=" + action, "-o", "firewall=" + firewall];
            if (action == "unblock")
            {
                argv.AddRange(["-o", "tickle_dir=" + tickle, "-o", "reset_local_on_unblock_stop=true"]);
            }

            argv.Add(OcfRoot.Agent("portblock"));
            var result = Sh.Run(argv, new Dictionary<string, string> { ["PATH"] = AgentProcess.DefaultPath, ["OCF_ROOT"] = OcfRoot.Path }, cleanEnvironment: true);
            Assert.True(result.Code == 0 && result.Stdout.Contains("passed all tests", StringComparison.Ordinal), result.ToString());
        }
        finally
        {
            Directory.Delete(tickle, recursive: true);
            if (linkDir is not null)
            {
                Directory.Delete(linkDir, recursive: true);   // removes the links, not their targets
            }
        }
    }

    /// <summary>A directory of links to every program on the default PATH except the named one.</summary>
    internal static string PathWithout(string hidden)
    {
        var dir = Directory.CreateTempSubdirectory("pbt-path").FullName;
        foreach (var source in AgentProcess.DefaultPath.Split(':'))
        {
            foreach (var program in Directory.EnumerateFiles(source))
            {
                var link = Path.Combine(dir, Path.GetFileName(program));
                if (Path.GetFileName(program) != hidden && !File.Exists(link) && !Directory.Exists(link))
                {
                    File.CreateSymbolicLink(link, program);
                }
            }
        }

        return dir;
    }

    [Fact]
    public void MetadataIsTheFileAndValidates()
    {
        var file = File.ReadAllText(RepoPaths.Metadata("portblock"));
        var run = new AgentProcess("pb", _state).Run(null, "meta-data");
        Assert.Equal(0, run.Code);
        Assert.Equal(file, run.Stdout);

        var dtd = Sh.Run(["xmllint", "--noout", "--valid", "--path", "/usr/share/resource-agents", "-"], stdin: file);
        Assert.True(dtd.Code == 0, "ra-api-1.dtd: " + dtd);
        string[] candidates =
        [
            "/usr/share/pacemaker/ocf-ra-1.1.rng",
            "/usr/share/pacemaker/api/ocf-ra-1.1.rng",
            Path.Combine(RepoPaths.Root, "tests/CtdbPcmk.Agents.Tests/schema/ocf-ra-1.1.rng"),
            "/work/shared/reference/ocf-bench/ocf-ra-1.1.rng",
        ];
        var rng = candidates.First(File.Exists);
        var relaxng = Sh.Run(["xmllint", "--noout", "--relaxng", rng, "-"], stdin: file);
        Assert.True(relaxng.Code == 0, "OCF 1.1 RNG: " + relaxng);
    }

    [Fact]
    public void DeclaredParametersAreThoseInTheMetadata()
    {
        var xml = XDocument.Load(RepoPaths.Metadata("portblock"));
        var fromXml = xml.Descendants("parameter").Select(p => (
            Name: (string)p.Attribute("name")!,
            Type: (string)p.Element("content")!.Attribute("type")!,
            Default: (string?)p.Element("content")!.Attribute("default"),
            Required: (string?)p.Attribute("required") == "1")).OrderBy(p => p.Name).ToList();
        var declared = PortblockParameters.All.Select(p => (
            p.Name,
            Type: p.Type.ToString().ToLowerInvariant(),
            p.Default,
            p.Required)).OrderBy(p => p.Name).ToList();
        Assert.Equal(declared, fromXml);
    }

    [Theory]
    [InlineData("protocol=sctp", "protocol 'sctp'")]
    [InlineData("portno=0", "portno '0'")]
    [InlineData("portno=445,x", "portno '445,x'")]
    [InlineData("portno=9000:8000", "ends before it starts")]
    [InlineData("action=open", "action 'open'")]
    [InlineData("ip=192.0.2.300", "ip '192.0.2.300'")]
    [InlineData("ip=fd00::1/129", "ip 'fd00::1/129'")]
    [InlineData("direction=sideways", "direction 'sideways'")]
    [InlineData("firewall=pf", "firewall 'pf'")]
    [InlineData("tickle_dir=relative/dir", "not an absolute path")]
    [InlineData("reset_local_on_unblock_stop=maybe", "reset_local_on_unblock_stop")]
    [InlineData("block_on_unblock_stop=sometimes", "block_on_unblock_stop")]
    [InlineData("protocol=", "'protocol' is required")]
    public void InvalidParametersAreNotConfigured(string assignment, string reasonPart)
    {
        var (name, value) = (assignment[..assignment.IndexOf('=')], assignment[(assignment.IndexOf('=') + 1)..]);
        var agent = new AgentProcess("pb", _state, ("protocol", "tcp"), ("portno", "445"), ("action", "unblock"), ("ip", "192.0.2.50"), (name, value));
        foreach (var action in new[] { "validate-all", "start", "monitor" })
        {
            var run = agent.Run(null, action);
            Assert.True(run.Code == 6, $"{action}: {run}");
            Assert.Contains(reasonPart, run.Reason);
        }
    }

    [Theory]
    [InlineData("block", "tickle_dir=/tmp", "tickle_dir is only meaningful with action=unblock")]
    [InlineData("block", "reset_local_on_unblock_stop=true", "only meaningful with action=unblock")]
    [InlineData("unblock", "tickle_dir=/tmp", "needs ip to be a single address")]
    [InlineData("block", "block_on_unblock_stop=false", "only meaningful with action=unblock")]
    public void InconsistentCombinationsAreNotConfigured(string action, string assignment, string reasonPart)
    {
        var (name, value) = (assignment[..assignment.IndexOf('=')], assignment[(assignment.IndexOf('=') + 1)..]);
        var run = new AgentProcess("pb", _state, ("protocol", "tcp"), ("portno", "445"), ("action", action), (name, value)).Run(null, "validate-all");
        Assert.Equal(6, run.Code);
        Assert.Contains(reasonPart, run.Reason);
    }

    [Fact]
    public void ResettingLocalConnectionsWithoutBlockingOnStopIsNotConfigured()
    {
        var run = new AgentProcess("pb", _state, ("protocol", "tcp"), ("portno", "445"), ("action", "unblock"), ("ip", "192.0.2.50"),
            ("reset_local_on_unblock_stop", "true"), ("block_on_unblock_stop", "false")).Run(null, "validate-all");
        Assert.Equal(6, run.Code);
        Assert.Contains("reset_local_on_unblock_stop=true needs block_on_unblock_stop=true", run.Reason);
    }

    [Theory]
    [InlineData("auto", "neither nft nor iptables")]
    [InlineData("nft", "firewall=nft")]
    public void WithoutAnyFirewallProgramItIsNotInstalled(string firewall, string reasonPart)
    {
        var empty = Directory.CreateTempSubdirectory("pbt-empty").FullName;
        try
        {
            var agent = new AgentProcess("pb", _state, ("protocol", "tcp"), ("portno", "445"), ("action", "block"), ("firewall", firewall))
                .With("PATH", empty);
            foreach (var action in new[] { "validate-all", "start", "monitor" })
            {
                var run = agent.Run(null, action);
                Assert.True(run.Code == 5, $"{action}: {run}");
                Assert.Contains(reasonPart, run.Reason);
            }

            // Nothing can have been blocked without a firewall program: stopping a block succeeds.
            Assert.Equal(0, agent.Run(null, "stop").Code);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public void MissingTickleDirIsNotInstalledOnValidate()
    {
        var run = new AgentProcess("pb", _state, ("protocol", "tcp"), ("portno", "445"), ("action", "unblock"), ("ip", "192.0.2.50"),
            ("tickle_dir", "/nonexistent/tickle")).Run(null, "validate-all");
        Assert.Equal(5, run.Code);
        Assert.Contains("does not exist", run.Reason);
    }
}
