// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;

namespace CtdbPcmk.Linux.Netlink;

/// <summary>An address to add.</summary>
public sealed class AddressRequest
{
    /// <summary>Interface index.</summary>
    public required int Index { get; init; }
    /// <summary>The address.</summary>
    public required IPAddress Address { get; init; }
    /// <summary>Prefix length.</summary>
    public required int PrefixLength { get; init; }
    /// <summary>IPv4 broadcast, or null for none.</summary>
    public IPAddress? Broadcast { get; init; }
    /// <summary>IPv4 label (must start with the interface name), or null.</summary>
    public string? Label { get; init; }
    /// <summary>IFA_F_* flags (NODAD, NOPREFIXROUTE).</summary>
    public uint Flags { get; init; }
    /// <summary>Preferred lifetime in seconds; uint.MaxValue is forever.</summary>
    public uint PreferredLifetime { get; init; } = uint.MaxValue;
}
