// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Conformance.Tests;

/// <summary>Controls no tool sends, sent raw over the client socket.</summary>
[Collection(ToolConformanceGroup.Name)]
public sealed class UnknownControlTests(ClusterPairFixture pair)
{
    /// <summary>Far above every opcode CTDB 4.17 defines.</summary>
    private const ControlOpcode Unknown = (ControlOpcode)9999;

    [Fact]
    public async Task Unknown_control_gets_an_error_reply_and_the_connection_stays_usable()
    {
        var reference = await UnknownThenPingAsync(pair.Reference);
        var candidate = await UnknownThenPingAsync(pair.Candidate);

        Assert.NotEqual(0, reference.Unknown.Status);
        Assert.Equal(reference.Unknown.Status, candidate.Unknown.Status);
        Assert.Equal(reference.Unknown.Error, candidate.Unknown.Error);
        Assert.Equal(reference.Unknown.Data, candidate.Unknown.Data);
        // PING answers with the number of clients: at least this connection.
        Assert.True(candidate.Ping.Status >= 1, $"PING after the unknown control answered {candidate.Ping}");
        Assert.Equal(reference.Ping.Error, candidate.Ping.Error);
    }

    private static async Task<(RawCtdbConnection.Reply Unknown, RawCtdbConnection.Reply Ping)> UnknownThenPingAsync(LocalCluster cluster)
    {
        using var c = await RawCtdbConnection.ConnectAsync(cluster.SocketPath);
        var unknown = await c.ControlAsync(Unknown, [1, 2, 3, 4]);
        var ping = await c.ControlAsync(ControlOpcode.Ping);
        return (unknown, ping);
    }
}
