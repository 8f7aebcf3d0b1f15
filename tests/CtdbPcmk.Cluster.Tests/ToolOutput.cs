// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text.RegularExpressions;

namespace CtdbPcmk.Cluster.Tests;

/// <summary>Reads the ctdb tool's record output.</summary>
internal static partial class ToolOutput
{
    /// <summary>The value "ctdb readkey" printed ("Data: size:N ptr:[VALUE]").</summary>
    public static string ReadkeyValue(Sh.Result r)
    {
        Assert.True(r.Ok, $"readkey: {r}");
        var m = ReadkeyPattern().Match(r.Output);
        Assert.True(m.Success, $"unexpected readkey output: {r}");
        return m.Groups[2].Value;
    }

    /// <summary>The value "ctdb pfetch" printed (empty when the key does not exist).</summary>
    public static string PfetchValue(Sh.Result r)
    {
        Assert.True(r.Ok, $"pfetch: {r}");
        return r.Output.TrimEnd('\n');
    }

    [GeneratedRegex(@"^Data: size:(\d+) ptr:\[(.*)\]$", RegexOptions.Multiline)]
    private static partial Regex ReadkeyPattern();
}
