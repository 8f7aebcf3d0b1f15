// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Protocol;

/// <summary>Node flags of the node map (NODE_FLAGS_*, protocol.h).</summary>
public static class NodeFlags
{
    public const uint Disconnected = 0x01;
    public const uint Unhealthy = 0x02;
    public const uint PermanentlyDisabled = 0x04;
    public const uint Banned = 0x08;
    public const uint Deleted = 0x10;
    public const uint Stopped = 0x20;
    /// <summary>Unhealthy or permanently disabled: still serves records, hosts no public IPs.</summary>
    public const uint Disabled = Unhealthy | PermanentlyDisabled;
    /// <summary>Deleted, disconnected, banned or stopped: not part of the active cluster.</summary>
    public const uint Inactive = Deleted | Disconnected | Banned | Stopped;
}
