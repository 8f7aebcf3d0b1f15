// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Text.RegularExpressions;

namespace CtdbPcmk.Cluster.Tests;

/// <summary>One record as "ctdb cattdb DB" printed it (the node's own copy, header included).</summary>
internal sealed record CatTdbRecord(string Key, uint Dmaster, ulong Rsn, uint Flags, string Data);

/// <summary>Reads "ctdb cattdb" output.</summary>
internal static partial class CatTdbOutput
{
    public static Dictionary<string, CatTdbRecord> Parse(Sh.Result r)
    {
        Assert.True(r.Ok, $"cattdb: {r}");
        var records = new Dictionary<string, CatTdbRecord>();
        foreach (Match m in Record().Matches(r.Output))
        {
            var rec = new CatTdbRecord(m.Groups[1].Value, uint.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
                ulong.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture), uint.Parse(m.Groups[4].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                m.Groups[5].Value);
            records[rec.Key] = rec;
        }
        return records;
    }

    /// <summary>
    /// A key as cattdb prints it: printable ASCII as itself, other bytes (and the quote and
    /// backslash) as a backslash and two upper-case hex digits.
    /// </summary>
    public static string KeyText(ReadOnlySpan<byte> key)
    {
        var sb = new System.Text.StringBuilder();
        foreach (byte b in key)
        {
            if (b is >= 0x20 and < 0x7f and not (byte)'"' and not (byte)'\\')
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append('\\').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return sb.ToString();
    }

    [GeneratedRegex(@"key\(\d+\) = ""([^""]*)""\ndmaster: (\d+)\nrsn: (\d+)\nflags: 0x([0-9a-f]{8})[^\n]*\ndata\(\d+\) = ""([^""]*)""")]
    private static partial Regex Record();
}
