// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Cluster.Tests;

/// <summary>The failover scenario on ctdb-pcmkd, the new leader given by the harness right after the kill.</summary>
public sealed class OursFailoverTests
{
    [Fact]
    public void Transactions_survive_the_loss_of_a_non_leader_and_then_the_leader() => FailoverScenario.Run(DaemonKind.Ours);
}
