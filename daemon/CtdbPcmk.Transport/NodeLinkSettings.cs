// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Transport;

/// <summary>
/// Settings of the node links that an administrator may change while the daemon runs
/// (the KeepaliveInterval and KeepaliveLimit tunables). The links read them at every check.
/// </summary>
internal sealed class NodeLinkSettings
{
    private TimeSpan _keepaliveInterval = TimeSpan.FromSeconds(5);
    private int _keepaliveLimit = 5;

    /// <summary>Time between keepalives on an otherwise quiet link (at least 1 s).</summary>
    public TimeSpan KeepaliveInterval
    {
        get => _keepaliveInterval;
        set => _keepaliveInterval = value < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : value;
    }

    /// <summary>Intervals without any packet after which a link counts as lost (at least 1).</summary>
    public int KeepaliveLimit
    {
        get => _keepaliveLimit;
        set => _keepaliveLimit = Math.Max(1, value);
    }
}
