// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Transport;

/// <summary>
/// Settings of the node links that an administrator may change while the daemon runs
/// (the KeepaliveInterval and KeepaliveLimit tunables). The links read them at every check.
/// </summary>
internal sealed class NodeLinkSettings
{
    /// <summary>Time between keepalives on an otherwise quiet link.</summary>
    public TimeSpan KeepaliveInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Intervals without any packet after which a link counts as lost.</summary>
    public int KeepaliveLimit { get; set; } = 5;
}
