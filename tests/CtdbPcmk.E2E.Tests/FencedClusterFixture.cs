// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.E2E.Tests;

/// <summary>One cluster with stonith-enabled=true and the box's fence device.</summary>
public sealed class FencedClusterFixture : IDisposable
{
    internal Box Box { get; } = Box.Up("ours", fencing: true);

    public void Dispose() => Box.Dispose();
}
