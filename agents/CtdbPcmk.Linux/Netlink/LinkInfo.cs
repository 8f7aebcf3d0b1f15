// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Linux.Netlink;

/// <summary>One network interface as rtnetlink reports it.</summary>
/// <param name="Index">Interface index.</param>
/// <param name="Name">Primary name.</param>
/// <param name="AltNames">Alternative names (ip link property add ... altname).</param>
/// <param name="Flags">IFF_* flags.</param>
/// <param name="HardwareType">ARPHRD_* type.</param>
/// <param name="Mac">Hardware address (empty when none).</param>
public sealed record LinkInfo(int Index, string Name, IReadOnlyList<string> AltNames, uint Flags, ushort HardwareType, byte[] Mac)
{
    /// <summary>Administratively up and with carrier (IFF_UP and IFF_LOWER_UP).</summary>
    public bool IsUp => (Flags & Rtnl.IffUp) != 0 && (Flags & Rtnl.IffLowerUp) != 0;

    /// <summary>True for the loopback interface.</summary>
    public bool IsLoopback => (Flags & Rtnl.IffLoopback) != 0;

    /// <summary>True when the name or one of the alternative names is <paramref name="name"/>.</summary>
    public bool HasName(string name) => Name == name || AltNames.Contains(name);
}
