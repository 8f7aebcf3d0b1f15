// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Protocol;

/// <summary>GET_CAPABILITIES bits (CTDB_CAP_*, protocol.h).</summary>
public static class Capabilities
{
    /// <summary>May become leader (the 4.17 CLI prints "LEADER").</summary>
    public const uint Recmaster = 0x00000001;
    public const uint Lmaster = 0x00000002;
    public const uint ParallelRecovery = 0x00010000;
    public const uint FragmentedControls = 0x00020000;
    public const uint Features = ParallelRecovery | FragmentedControls;
    /// <summary>What a 4.17 node reports by default (observed 0x00030003).</summary>
    public const uint Default = Recmaster | Lmaster | Features;
}
