// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Cluster.Tests;

/// <summary>The failover scenario on real ctdbd: shows the scenario and its checks hold for the reference.</summary>
public sealed class CtdbFailoverTests
{
    [Fact]
    public void Transactions_survive_the_loss_of_a_non_leader_and_then_the_leader() => FailoverScenario.Run(DaemonKind.Ctdb);
}
