// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Linux;

/// <summary>
/// Sends a frame several more times from a forked, detached process, so that an agent action
/// can return while announcements continue (what IPaddr2 does with a background send_arp).
/// The child runs only raw system calls on memory prepared before the fork, then _exit()s:
/// it never re-enters the managed runtime. Nothing is exec'd.
/// </summary>
public static class BackgroundSender
{
    private const int ORdWr = 2;
    private const int OCloexec = 0x80000;

    /// <summary>
    /// Forks a sender that waits <paramref name="intervalMs"/>, sends <paramref name="frame"/> on
    /// <paramref name="socket"/>, <paramref name="count"/> times. Returns the child's PID.
    /// </summary>
    public static unsafe int Start(PacketSocket socket, ReadOnlySpan<byte> frame, int count, int intervalMs)
    {
        var devNull = Interop.Libc.open("/dev/null", ORdWr | OCloexec);
        if (devNull < 0)
        {
            throw ErrnoException.FromLastError("open /dev/null");
        }
        try
        {
            var added = false;
            socket.Handle.DangerousAddRef(ref added);
            try
            {
                var fd = (int)socket.Handle.DangerousGetHandle();
                var address = socket.Address;
                fixed (byte* f = frame)
                fixed (byte* a = address)
                {
                    var pid = Interop.Libc.fork();
                    if (pid < 0)
                    {
                        throw ErrnoException.FromLastError("fork");
                    }
                    if (pid == 0)
                    {
                        // Child: own session (outside the agent's process group, which Pacemaker
                        // kills on timeout), no inherited stdout/stderr (callers wait for EOF).
                        _ = Interop.ForkChild.setsid();
                        _ = Interop.ForkChild.dup2(devNull, 0);
                        _ = Interop.ForkChild.dup2(devNull, 1);
                        _ = Interop.ForkChild.dup2(devNull, 2);
                        // The runtime holds duplicates of stdout/stderr (and other descriptors);
                        // keep only the packet socket so nobody waits for this process's pipes.
                        CloseAllBut(fd);
                        for (var i = 0; i < count; i++)
                        {
                            _ = Interop.ForkChild.usleep((uint)intervalMs * 1000);
                            _ = Interop.ForkChild.sendto(fd, f, (nuint)frame.Length, 0, a, address.Length);
                        }
                        Interop.ForkChild._exit(0);
                    }
                    return pid;
                }
            }
            finally
            {
                if (added)
                {
                    socket.Handle.DangerousRelease();
                }
            }
        }
        finally
        {
            _ = Interop.Libc.close(devNull);
        }
    }

    private static void CloseAllBut(int keep)
    {
        var ok = (keep <= 3 || Interop.ForkChild.close_range(3, (uint)keep - 1, 0) == 0)
            && Interop.ForkChild.close_range((uint)keep + 1, uint.MaxValue, 0) == 0;
        if (!ok)
        {
            for (var i = 3; i < 4096; i++)
            {
                if (i != keep)
                {
                    _ = Interop.ForkChild.close(i);
                }
            }
        }
    }

    /// <summary>Ends a sender started earlier (SIGKILL); false when it no longer exists.</summary>
    public static bool Stop(int pid) => pid > 0 && Interop.Libc.kill(pid, 9) == 0;
}
