// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;

namespace CtdbPcmk.TestSupport;

/// <summary>What one node reports about the cluster: its recovery mode, generation and node map.</summary>
public sealed record NodeView(int Pnn, RecoveryMode Mode, uint Generation, IReadOnlyList<NodeAndFlags> Nodes)
{
    public uint FlagsOf(int pnn) => Nodes.FirstOrDefault(n => n.Pnn == (uint)pnn)?.Flags ?? uint.MaxValue;

    public override string ToString() =>
        $"node {Pnn}: {Mode} generation {Generation} flags [{string.Join(' ', Nodes.Select(n => $"{n.Pnn}:0x{n.Flags:x}"))}]";
}
