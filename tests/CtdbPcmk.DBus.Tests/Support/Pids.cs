// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Runtime.InteropServices;

namespace CtdbPcmk.DBus.Tests;

/// <summary>Ends a daemon the tests started, by its PID (never by name): SIGTERM, then SIGKILL.</summary>
internal static partial class Pids
{
    private const int SigTerm = 15;
    private const int SigKill = 9;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>Running and not a zombie (a daemon's orphan is reaped by PID 1, which may not do it at once).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            // The state follows the parenthesised command name, which may itself hold ')'.
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is not 'Z' and not 'X';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public static void Terminate(int pid, TimeSpan grace)
    {
        if (pid <= 0 || !IsAlive(pid))
        {
            return;
        }
        Kill(pid, SigTerm);
        if (!SpinWait.SpinUntil(() => !IsAlive(pid), grace))
        {
            Kill(pid, SigKill);
            SpinWait.SpinUntil(() => !IsAlive(pid), TimeSpan.FromSeconds(5));
        }
    }
}
