// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text;

namespace CtdbPcmk.Conformance.Tests;

/// <summary>A line diff (longest common subsequence) for failure messages: "-" reference, "+" ours.</summary>
internal static class LineDiff
{
    public static string Format(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (int i = a.Length - 1; i >= 0; i--)
        {
            for (int j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }
        var sb = new StringBuilder();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                sb.Append("  ").AppendLine(a[x]);
                x++;
                y++;
            }
            else if (y < b.Length && (x == a.Length || lcs[x, y + 1] >= lcs[x + 1, y]))
            {
                sb.Append("+ ").AppendLine(b[y++]);
            }
            else
            {
                sb.Append("- ").AppendLine(a[x++]);
            }
        }
        return sb.ToString();
    }
}
