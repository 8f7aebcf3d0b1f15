// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.E2E.Tests;

/// <summary>One cluster with this project's agents, shared by the tests of a class.</summary>
public sealed class ClusterFixture : IDisposable
{
    internal Box Box { get; } = Box.Up("ours", fencing: false);

    public void Dispose() => Box.Dispose();
}
