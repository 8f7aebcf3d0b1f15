// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Portblock;

/// <summary>A firewall backend that adds, finds and removes our tagged DROP rules.</summary>
internal interface IFirewall
{
    /// <summary>"nft" or "iptables", for logs.</summary>
    string Name { get; }

    /// <summary>True when the exact rule (same tag, same match) is installed.</summary>
    bool IsPresent(BlockRule rule);

    /// <summary>Installs the rule unless it is present: repeated calls never add a duplicate.</summary>
    void Add(BlockRule rule);

    /// <summary>Removes every copy of the rule; nothing to do when it is absent.</summary>
    void Remove(BlockRule rule);
}
