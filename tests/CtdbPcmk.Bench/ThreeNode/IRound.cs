// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Bench.ThreeNode;

/// <summary>A prepared multi-node measurement: its connections stay open between rounds.</summary>
internal interface IRound : IDisposable
{
    /// <summary>Untimed operations to warm both ends.</summary>
    void Warmup();

    /// <summary>One timed round; throws if any answer is wrong.</summary>
    PhaseResult Run();
}
