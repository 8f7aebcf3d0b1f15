// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Linux;

/// <summary>kill(2), for signals System.Diagnostics.Process cannot send (it only sends SIGKILL).</summary>
public static class ProcessSignal
{
    /// <summary>SIGKILL.</summary>
    public const int SigKill = 9;

    /// <summary>SIGTERM.</summary>
    public const int SigTerm = 15;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false when kill failed (see <see cref="LastError"/>).</summary>
    public static bool Send(int pid, int signal) => Interop.Libc.kill(pid, signal) == 0;

    /// <summary>A process with this pid exists (signal 0 reaches it, or it exists but belongs to another user).</summary>
    public static bool Exists(int pid) => Send(pid, 0) || LastError.Errno == Errno.EPERM;
}
