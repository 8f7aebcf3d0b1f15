// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Client;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Conformance.Tests;

/// <summary>Controls no tool sends, sent raw with the client library over the client socket.</summary>
[Collection(ToolConformanceGroup.Name)]
public sealed class UnknownControlTests(ClusterPairFixture pair)
{
    /// <summary>Far above every opcode CTDB 4.17 defines.</summary>
    private const ControlOpcode Unknown = (ControlOpcode)9999;

    [Fact]
    public async Task Unknown_control_gets_an_error_reply_and_the_connection_stays_usable()
    {
        var reference = await Task.Run(() => UnknownThenPing(pair.Reference));
        var candidate = await Task.Run(() => UnknownThenPing(pair.Candidate));

        Assert.NotEqual(0, reference.Unknown.Status);
        Assert.Equal(reference.Unknown.Status, candidate.Unknown.Status);
        // The error text is not compared: real ctdbd sends none, and a text naming the
        // control is allowed (no client parses it).
        Assert.Equal(reference.Unknown.Data, candidate.Unknown.Data);
        // PING on the same connection answers with the number of clients: at least this one.
        Assert.True(candidate.Ping >= 1, $"PING after the unknown control answered {candidate.Ping}");
    }

    private static (ControlResult Unknown, int Ping) UnknownThenPing(LocalCluster cluster)
    {
        using var c = CtdbClient.Connect(cluster.Socket(0));
        c.Timeout = TimeSpan.FromSeconds(10);
        var unknown = c.Control(Unknown, WireFormat.CurrentNode, [1, 2, 3, 4]);
        return (unknown, c.Ping());
    }
}
