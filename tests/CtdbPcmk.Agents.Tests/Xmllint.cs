// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;

namespace CtdbPcmk.Agents.Tests;

/// <summary>Validates XML with the real xmllint against the OCF schemas installed on the host.</summary>
internal static class Xmllint
{
    /// <summary>Pacemaker's OCF 1.1 RELAX NG schema (not shipped by Debian's Pacemaker 2.1.5).</summary>
    public static string OcfRng
    {
        get
        {
            string[] candidates =
            [
                "/usr/share/pacemaker/ocf-ra-1.1.rng",
                "/usr/share/pacemaker/api/ocf-ra-1.1.rng",
                "/work/shared/reference/ocf-bench/ocf-ra-1.1.rng",
                Path.Combine(RepoPaths.Root, "tests/CtdbPcmk.Agents.Tests/schema/ocf-ra-1.1.rng"),
            ];
            return candidates.FirstOrDefault(File.Exists)
                ?? throw new FileNotFoundException("OCF 1.1 RNG not found in: " + string.Join(", ", candidates));
        }
    }

    /// <summary>resource-agents' OCF 1.0 DTD (what ocf-tester validates with).</summary>
    public const string RaApiDtd = "/usr/share/resource-agents/ra-api-1.dtd";

    public static (int ExitCode, string Output) Run(string xml, params string[] args)
    {
        var info = new ProcessStartInfo("xmllint")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        info.ArgumentList.Add("-");
        using var p = Process.Start(info)!;
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardInput.Write(xml);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout + stderr.Result);
    }
}
