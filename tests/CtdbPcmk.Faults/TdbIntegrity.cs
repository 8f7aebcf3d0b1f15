// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Faults;

/// <summary>Runs "tdbtool FILE check" on every TDB file below a directory (the daemons stopped).</summary>
internal static class TdbIntegrity
{
    public static (int Checked, List<string> Failed) CheckAll(string root)
    {
        var failed = new List<string>();
        int n = 0;
        foreach (var file in Directory.EnumerateFiles(root, "*.tdb*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (file.Contains("/db/", StringComparison.Ordinal) is false)
            {
                continue;
            }
            n++;
            var r = Sh.Run("tdbtool", file, "check");
            if (!r.Ok || !r.Stdout.Contains("integrity is OK", StringComparison.Ordinal))
            {
                failed.Add($"{file}: exit {r.Code}: {(r.Stdout + r.Stderr).Trim()}");
            }
        }
        return (n, failed);
    }
}
