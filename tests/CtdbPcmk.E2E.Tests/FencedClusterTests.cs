// SPDX-License-Identifier: GPL-3.0-or-later
using System.Xml.Linq;
using Xunit.Abstractions;
using static CtdbPcmk.E2E.Tests.ClusterState;

namespace CtdbPcmk.E2E.Tests;

/// <summary>
/// stonith-enabled=true with fence_box: a lost node is fenced (its whole stack killed by the
/// host-side fencer and booted again) before its resources are recovered elsewhere.
/// </summary>
public sealed class FencedClusterTests : IClassFixture<FencedClusterFixture>
{
    private readonly Box _box;
    private readonly ITestOutputHelper _output;

    public FencedClusterTests(FencedClusterFixture fixture, ITestOutputHelper output)
    {
        _box = fixture.Box;
        _output = output;
        Restore(_box);
    }

    [Fact]
    public void FencingIsEnabledWithTheBoxDeviceStarted()
    {
        Assert.Equal("true", _box.ExecOk(1, "crm_attribute", "-t", "crm_config", "-n", "stonith-enabled", "-G", "-q").Trim());
        var doc = _box.CrmMon(1);
        Assert.Single(CrmMon.Where(doc, "fence-box"));
        Assert.Contains("fence-box", _box.ExecOk(1, "stonith_admin", "--list-registered"), StringComparison.Ordinal);
    }

    [Fact]
    public void LostNodeIsFencedItsAddressesMoveAndItRejoins()
    {
        var node = CrmMon.NodeNumber(CrmMon.Where(_box.CrmMon(1), "vip1").Single());
        var survivor = node == 1 ? 2 : 1;
        _box.Kill(node);
        var moved = Wait.Until(() => _box.NodesWithAddress(Vip1) is [var n] && n != node, TimeSpan.FromSeconds(60),
            () => _box.CrmMon(survivor).ToString());

        // The fence history on a survivor holds a successful fencing of the lost node.
        var history = XDocument.Parse(_box.ExecOk(survivor, "stonith_admin", "--history", $"n{node}", "--output-as=xml"));
        var fenced = history.Descendants("fence_event")
            .Where(e => (string?)e.Attribute("target") == $"n{node}" && (string?)e.Attribute("status") == "success")
            .ToList();
        Assert.True(fenced.Count > 0, $"no successful fencing of n{node}:\n{history}");

        // fence_box reboots: the node comes back and joins with all resources started.
        Wait.Until(() => CrmMon.OnlineNodes(_box.CrmMon(survivor)).Count == 3, TimeSpan.FromSeconds(60),
            () => _box.CrmMon(survivor).ToString());
        _box.WaitStarted();
        _output.WriteLine($"n{node} lost: fenced ({fenced[0].Attribute("action")?.Value}), {Vip1} up on a survivor after {moved.TotalMilliseconds:F0} ms");
    }
}
