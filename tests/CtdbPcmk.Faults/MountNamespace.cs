// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;

namespace CtdbPcmk.Faults;

/// <summary>
/// Runs this program (through the dotnet host) inside a private mount namespace
/// (unshare -m --propagation private), so that the file systems a disk run mounts can neither
/// outlive it nor be seen outside it.
/// </summary>
internal static class MountNamespace
{
    private const string Marker = "CTDBPCMK_FAULTS_MOUNT_NS";

    public static bool Inside => Environment.GetEnvironmentVariable(Marker) == "1";

    /// <summary>Start information for the program with <paramref name="args"/> in a new private mount namespace.</summary>
    public static ProcessStartInfo Info(IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("unshare") { UseShellExecute = false };
        foreach (var a in new[] { "--mount", "--propagation", "private", "--", "dotnet", typeof(MountNamespace).Assembly.Location })
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment[Marker] = "1";
        return psi;
    }

    /// <summary>Runs the program again in its own mount namespace, with this console; returns its exit code.</summary>
    public static int Rerun(string[] args)
    {
        using var p = Process.Start(Info(args)) ?? throw new InvalidOperationException("cannot start unshare");
        p.WaitForExit();
        return p.ExitCode;
    }
}
