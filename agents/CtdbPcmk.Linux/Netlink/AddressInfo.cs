// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;

namespace CtdbPcmk.Linux.Netlink;

/// <summary>One interface address as rtnetlink reports it.</summary>
/// <param name="Index">Interface index.</param>
/// <param name="Address">The local address (IFA_LOCAL for IPv4, IFA_ADDRESS for IPv6).</param>
/// <param name="PrefixLength">Prefix length.</param>
/// <param name="Flags">IFA_F_* flags (from IFA_FLAGS when present).</param>
/// <param name="Label">IPv4 label (IFA_LABEL), or null.</param>
/// <param name="Broadcast">IPv4 broadcast (IFA_BROADCAST), or null.</param>
public sealed record AddressInfo(int Index, IPAddress Address, int PrefixLength, uint Flags, string? Label, IPAddress? Broadcast)
{
    /// <summary>IPv6 duplicate address detection still running.</summary>
    public bool IsTentative => (Flags & Rtnl.IfaFTentative) != 0;

    /// <summary>IPv6 duplicate address detection found another holder.</summary>
    public bool DadFailed => (Flags & Rtnl.IfaFDadFailed) != 0;
}
