// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CtdbPcmk.Portblock;

/// <summary>The ip parameter: one address, or a network written address/prefix (the default 0.0.0.0/0).</summary>
internal sealed record AddressMatch(IPAddress Address, int PrefixLength)
{
    public bool IsIPv6 => Address.AddressFamily == AddressFamily.InterNetworkV6;

    public int FullLength => IsIPv6 ? 128 : 32;

    /// <summary>True when the match is exactly one address (needed for tickles and connection records).</summary>
    public bool IsSingleAddress => PrefixLength == FullLength;

    public static bool TryParse(string text, out AddressMatch match)
    {
        match = new AddressMatch(IPAddress.Any, 0);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (addressText.Contains('%', StringComparison.Ordinal) || !IPAddress.TryParse(addressText, out var address)
            || address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var full = address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
        var prefix = full;
        if (slash >= 0 && (!int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > full))
        {
            return false;
        }

        match = new AddressMatch(address, prefix);
        return true;
    }

    /// <summary>Canonical text: the address alone, or address/prefix for a network.</summary>
    public override string ToString() =>
        IsSingleAddress ? Address.ToString() : FormattableString.Invariant($"{Address}/{PrefixLength}");
}
