// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;

namespace CtdbPcmk.Portblock;

/// <summary>
/// The portno parameter: comma-separated ports and inclusive ranges written "first:last"
/// (iptables multiport syntax, as the stock agent takes it), e.g. "445,139" or "8000:8010".
/// </summary>
internal sealed class PortList
{
    private PortList(IReadOnlyList<PortRange> ranges)
    {
        Ranges = ranges;
    }

    public IReadOnlyList<PortRange> Ranges { get; }

    /// <summary>Entries as iptables multiport counts them (a range takes two of its 15 slots).</summary>
    public int MultiportSlots => Ranges.Sum(r => r.First == r.Last ? 1 : 2);

    public static bool TryParse(string text, out PortList list, out string error)
    {
        list = new PortList([]);
        var ranges = new List<PortRange>();
        foreach (var item in text.Split(','))
        {
            var parts = item.Trim().Split(':');
            if (parts.Length > 2 || !TryPort(parts[0], out var first) || !TryPort(parts[^1], out var last))
            {
                error = $"'{item.Trim()}' is not a port (1-65535) or a range first:last";
                return false;
            }

            if (last < first)
            {
                error = $"range '{item.Trim()}' ends before it starts";
                return false;
            }

            ranges.Add(new PortRange(first, last));
        }

        list = new PortList(ranges);
        error = "";
        return true;
    }

    public bool Contains(int port) => Ranges.Any(r => r.Contains(port));

    /// <summary>"445,139,8000:8010", for iptables' multiport match and for rule tags.</summary>
    public string ToMultiport() => string.Join(',', Ranges.Select(r => r.First == r.Last
        ? r.First.ToString(CultureInfo.InvariantCulture)
        : FormattableString.Invariant($"{r.First}:{r.Last}")));

    /// <summary>"{ 445, 139, 8000-8010 }", an anonymous nft set.</summary>
    public string ToNftSet() => "{ " + string.Join(", ", Ranges.Select(r => r.First == r.Last
        ? r.First.ToString(CultureInfo.InvariantCulture)
        : FormattableString.Invariant($"{r.First}-{r.Last}"))) + " }";

    public override string ToString() => ToMultiport();

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;
}
