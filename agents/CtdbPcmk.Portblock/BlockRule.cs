// SPDX-License-Identifier: GPL-3.0-or-later
using System.Security.Cryptography;
using System.Text;

namespace CtdbPcmk.Portblock;

/// <summary>
/// One DROP rule: protocol, ports, address and direction. Paired block and unblock instances
/// with the same parameters describe the same rule, so the tag derives from the rule itself,
/// not from the resource name: each instance finds exactly the rule the other one made.
/// </summary>
internal sealed record BlockRule(string Protocol, PortList Ports, AddressMatch Match, TrafficDirection Direction)
{
    /// <summary>nft comments are limited to 128 bytes; longer tags fall back to a digest of the ports.</summary>
    private const int MaxTagLength = 120;

    public string Tag
    {
        get
        {
            var tag = $"ctdb-portblock {Protocol} {Match} {Ports.ToMultiport()}";
            if (tag.Length <= MaxTagLength)
            {
                return tag;
            }

            var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Ports.ToMultiport())))[..16];
            return $"ctdb-portblock {Protocol} {Match} ports#{digest}";
        }
    }

    public override string ToString() =>
        $"{Protocol} {(Direction == TrafficDirection.In ? "to" : "from")} {Match} ports {Ports.ToMultiport()}";
}
